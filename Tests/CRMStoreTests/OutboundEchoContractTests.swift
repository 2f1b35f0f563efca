import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

/// `recordSent` when the provider's echo of the send (Evolution's `send.message`, stored by a
/// listener as a message sent from the phone) arrives before the send is recorded: one message.
@Suite("Outbound store contract: the echo before the record")
struct OutboundEchoContractTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let phone = "5511998765432"

    func echo(unit: UUID, externalId: String, body: String, at date: Date) -> IncomingMessage {
        IncomingMessage(
            unitId: unit, provider: .evolution, externalId: externalId, phone: Self.phone, lid: nil, senderName: nil,
            fromMe: true, kind: .text, body: body, sentAt: date, receivedAt: date
        )
    }

    /// A unit and one queued, claimed message to `phone`.
    func queued(_ store: SQLStore) async throws -> (unit: BusinessUnit, message: Message) {
        let unit = try await UnitService(store: store).create(name: "Loja")
        let request = OutboundRequest(
            unitId: unit.id, provider: .evolution, phone: Self.phone, body: "Chegou?", clientMessageId: "pedido-1", queuedAt: t0
        )
        guard case .created(let message) = try await store.enqueueOutbound(request) else {
            Issue.record("not created")
            throw CancellationError()
        }
        #expect(try await store.claimOutbound(id: message.id, owner: "me", until: t0 + 120, now: t0))
        return (unit, message)
    }

    func rows(_ database: CRMDatabase) async throws -> [(id: UUID, clientId: String?, status: String)] {
        try await database.withUnsafeSQL { sql in
            try await sql.raw("SELECT id, client_message_id, status FROM messages").all().map {
                (try $0.uuid("id"), try $0.optional("client_message_id", as: String.self), try $0.decode(column: "status", as: String.self))
            }
        }
    }

    @Test("the echo and its receipts came first: folded into the sent message, which ends read", arguments: TestDatabaseKind.stores)
    func echoFirst(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let (unit, message) = try await queued(store)
            #expect(try await store.storeIncomingMessage(echo(unit: unit.id, externalId: "3EB0AA", body: "Chegou?", at: t0 + 1)) != .duplicate)
            let delivered = MessageStatusUpdate(unitId: unit.id, provider: .evolution, externalId: "3EB0AA", status: .delivered, occurredAt: t0 + 2)
            #expect(try await store.applyMessageStatus(delivered) == .advanced(to: .delivered), "applied to the echo")
            let read = MessageStatusUpdate(unitId: unit.id, provider: .evolution, externalId: "3EB0AA", status: .read, occurredAt: t0 + 4)

            try await store.recordSent(id: message.id, externalId: "3EB0AA", attempts: 1, at: t0 + 3)
            let stored = try await rows(database)
            #expect(stored.count == 1, "\(stored)")
            #expect(stored.first?.id == message.id && stored.first?.clientId == "pedido-1")
            let sent = try #require(try await store.outboundMessage(id: message.id))
            #expect(sent.state == .delivered && sent.externalId == "3EB0AA" && sent.retryCount == 1)
            #expect(sent.sentAt == t0 + 3 && sent.deliveredAt == t0 + 2)
            #expect(try await store.applyMessageStatus(read) == .advanced(to: .read), "later receipts find the message by its id")
            let last = try await database.withUnsafeSQL { sql in
                try await sql.raw("SELECT last_message_id FROM conversations").all().map { try $0.optional("last_message_id", as: UUID.self) }
            }
            #expect(last == [message.id], "the conversation shows the sent message, not the dropped echo")
        }
    }

    @Test("no echo yet: recorded sent, and the echo that follows is the same message", arguments: TestDatabaseKind.stores)
    func echoAfter(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let (unit, message) = try await queued(store)
            try await store.recordSent(id: message.id, externalId: "3EB0BB", attempts: 1, at: t0 + 1)
            #expect(try await store.storeIncomingMessage(echo(unit: unit.id, externalId: "3EB0BB", body: "Chegou?", at: t0 + 1)) == .duplicate)
            let stored = try await rows(database)
            #expect(stored.count == 1 && stored.first?.status == "sent", "\(stored)")
        }
    }

    @Test("a message sent from the phone with another id stays a message of its own", arguments: TestDatabaseKind.stores)
    func otherEcho(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let (unit, message) = try await queued(store)
            #expect(try await store.storeIncomingMessage(echo(unit: unit.id, externalId: "PHONE1", body: "do celular", at: t0 + 1)) != .duplicate)
            try await store.recordSent(id: message.id, externalId: "3EB0CC", attempts: 1, at: t0 + 2)
            let stored = try await rows(database)
            #expect(stored.count == 2, "\(stored)")
            #expect(try await store.outboundMessage(id: message.id)?.state == .sent)
        }
    }
}
