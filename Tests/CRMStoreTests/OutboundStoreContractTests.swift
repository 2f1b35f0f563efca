import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

/// Recording sends, on every database kind.
@Suite("Outbound store contract")
struct OutboundStoreContractTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func count(_ database: CRMDatabase, _ query: SQLQueryString) async throws -> Int {
        try await database.withUnsafeSQL { sql in try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    @Test("the provider's echo stored before the send was recorded is folded into the message, with its receipts",
          arguments: TestDatabaseKind.stores)
    func echoFirst(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            let request = OutboundRequest(
                unitId: loja.id, provider: .evolution, phone: "5511998765432", body: "Chegou?", clientMessageId: "pedido-1", queuedAt: t0)
            guard case .created(let queued) = try await store.enqueueOutbound(request) else { throw CRMError.conflict("pedido-1") }
            #expect(try await store.claimOutbound(id: queued.id, owner: "send", until: t0.addingTimeInterval(120), now: t0))

            // The listener applies `send.message` (fromMe) and a DELIVERY_ACK before the send call returns.
            let echo = IncomingMessage(
                unitId: loja.id, provider: .evolution, externalId: "3EB0ECHO", phone: "5511998765432", lid: nil, senderName: nil,
                fromMe: true, kind: .text, body: "Chegou?", sentAt: t0.addingTimeInterval(1), receivedAt: t0.addingTimeInterval(1))
            guard case .stored = try await store.storeIncomingMessage(echo) else { throw CRMError.conflict("echo") }
            let delivered = MessageStatusUpdate(
                unitId: loja.id, provider: .evolution, externalId: "3EB0ECHO", status: .delivered, occurredAt: t0.addingTimeInterval(2))
            #expect(try await store.applyMessageStatus(delivered) == .advanced(to: .delivered))
            #expect(try await count(database, "SELECT count(*) AS n FROM messages") == 2)

            try await store.recordSent(id: queued.id, externalId: "3EB0ECHO", attempts: 1, at: t0.addingTimeInterval(3))
            let message = try #require(try await store.outboundMessage(id: queued.id))
            #expect(message.state == .delivered && message.externalId == "3EB0ECHO" && message.retryCount == 1)
            #expect(message.deliveredAt == t0.addingTimeInterval(2) && message.sentAt != nil)
            #expect(try await count(database, "SELECT count(*) AS n FROM messages") == 1, "the echo is the same message")
            let last = try await database.withUnsafeSQL { sql in
                try await sql.raw("SELECT last_message_id FROM conversations").first()?.uuid("last_message_id")
            }
            #expect(last == queued.id)

            // A later read receipt finds the message by the provider's id.
            let read = MessageStatusUpdate(
                unitId: loja.id, provider: .evolution, externalId: "3EB0ECHO", status: .read, occurredAt: t0.addingTimeInterval(4))
            #expect(try await store.applyMessageStatus(read) == .advanced(to: .read))
            // Recording again (a retried record) changes nothing.
            try await store.recordSent(id: queued.id, externalId: "3EB0ECHO", attempts: 1, at: t0.addingTimeInterval(5))
            #expect(try await store.outboundMessage(id: queued.id)?.state == .read)
        }
    }

    @Test("an inbound message or another send holding the provider id is never taken for an echo", arguments: TestDatabaseKind.stores)
    func notAnEcho(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            var ids: [UUID] = []
            for key in ["a", "b"] {
                let request = OutboundRequest(
                    unitId: loja.id, provider: .evolution, phone: "5511998765432", body: "texto", clientMessageId: key, queuedAt: t0)
                guard case .created(let message) = try await store.enqueueOutbound(request) else { throw CRMError.conflict(key) }
                ids.append(message.id)
            }
            try await store.recordSent(id: ids[0], externalId: "3EB0SAME", attempts: 1, at: t0)
            await #expect(throws: StoreError.self) {
                try await store.recordSent(id: ids[1], externalId: "3EB0SAME", attempts: 1, at: t0)
            }
            #expect(try await store.outboundMessage(id: ids[0])?.state == .sent)
            #expect(try await store.outboundMessage(id: ids[1])?.state == .queued)
        }
    }

    @Test("a batch of sends recorded together: plain, with a receipt waiting, behind an echo, and one no longer queued",
          arguments: TestDatabaseKind.stores)
    func batch(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            var ids: [UUID] = []
            for index in 0..<4 {
                let request = OutboundRequest(
                    unitId: loja.id, provider: .evolution, phone: "551199876543\(index)", body: "texto \(index)",
                    clientMessageId: "k\(index)", queuedAt: t0.addingTimeInterval(Double(index)))
                guard case .created(let message) = try await store.enqueueOutbound(request) else { throw CRMError.conflict("k") }
                ids.append(message.id)
            }
            // 1: a read receipt arrived before the send was recorded; 2: the echo was stored first; 3: failed meanwhile.
            #expect(try await store.applyMessageStatus(MessageStatusUpdate(
                unitId: loja.id, provider: .evolution, externalId: "X1", status: .read, occurredAt: t0.addingTimeInterval(9))) == .pending)
            let echo = IncomingMessage(
                unitId: loja.id, provider: .evolution, externalId: "X2", phone: "5511998765432", lid: nil, senderName: nil,
                fromMe: true, kind: .text, body: "texto 2", sentAt: t0, receivedAt: t0)
            guard case .stored = try await store.storeIncomingMessage(echo) else { throw CRMError.conflict("echo") }
            try await store.recordFailed(id: ids[3], attempts: 1, code: "401", error: "refused", at: t0)

            try await store.recordSent((0..<4).map { SentRecord(id: ids[$0], externalId: "X\($0)", attempts: 1, date: t0.addingTimeInterval(10)) })
            let states = try await ids.asyncMap { try await store.outboundMessage(id: $0) }
            #expect(states.map { $0?.state } == [.sent, .read, .sent, .failed])
            #expect(states.map { $0?.externalId } == ["X0", "X1", "X2", nil])
            #expect(states[0]?.sentAt == t0.addingTimeInterval(10) && states[0]?.retryCount == 1)
            #expect(try await count(database, "SELECT count(*) AS n FROM messages") == 4, "the echo folded into its message")
            #expect(try await count(database, "SELECT count(*) AS n FROM pending_message_statuses") == 0)
        }
    }

    /// The receipt and the send that produced its provider id, recorded at the same instant: on
    /// PostgreSQL each could miss the other's uncommitted row and the receipt wait forever.
    @Test("receipts racing the sends that produce their ids: every one applied, none left waiting",
          arguments: TestDatabaseKind.stores)
    func receiptsRacingSends(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            let total = 200
            var ids: [UUID] = []
            for index in 0..<total {
                let request = OutboundRequest(
                    unitId: loja.id, provider: .evolution, phone: "55119\(String(format: "%08d", index))", body: "texto \(index)",
                    clientMessageId: "race-\(index)", queuedAt: t0)
                guard case .created(let message) = try await store.enqueueOutbound(request) else { throw CRMError.conflict("race") }
                ids.append(message.id)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, id) in ids.enumerated() {
                    group.addTask {
                        try await store.recordSent(id: id, externalId: "RACE\(index)", attempts: 1, at: self.t0.addingTimeInterval(1))
                    }
                    group.addTask {
                        _ = try await store.applyMessageStatus(MessageStatusUpdate(
                            unitId: loja.id, provider: .evolution, externalId: "RACE\(index)", status: .read,
                            occurredAt: self.t0.addingTimeInterval(2)))
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await count(database, "SELECT count(*) AS n FROM messages WHERE status = 'read'") == total)
            #expect(try await count(database, "SELECT count(*) AS n FROM pending_message_statuses") == 0)
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
