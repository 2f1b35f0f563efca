import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

/// The listener's batched path for plain inbound messages, on every database kind: it must write
/// what the one-by-one path writes, decide duplicates the same way, and stay exact when batches
/// overlap and run at once.
@Suite("Inbound batch store contract")
struct InboundBatchStoreContractTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func item(
        unit: UUID, id: String, phone: String, name: String? = "Maria", at offset: Double, body: String? = nil,
        escapingBody: Bool = true
    ) -> InboundWebhook {
        let date = t0.addingTimeInterval(offset)
        let raw = body ?? "{\"id\":\"\(id)\",\"phone\":\"\(phone)\",\"at\":\(offset)}"
        let record = StoredWebhookEvent(
            unitId: unit, provider: .evolution, eventType: "inboundMessage", instance: "crm-loja",
            dedupeKey: WebhookIngestion.dedupeKey(Data(raw.utf8)), body: raw, result: .applied, attempts: 1,
            receivedAt: date, appliedAt: date
        )
        return InboundWebhook(record: record, message: IncomingMessage(
            unitId: unit, provider: .evolution, externalId: id, phone: phone, lid: nil, senderName: name, fromMe: false,
            kind: .text, body: "olá \(id)", sentAt: date, receivedAt: date
        ), escapingBody: escapingBody)
    }

    func rows(_ database: CRMDatabase, _ query: SQLQueryString) async throws -> [String] {
        try await database.withUnsafeSQL { sql in try await sql.raw(query).all().map { try $0.decode(column: "v", as: String.self) } }
    }

    func count(_ database: CRMDatabase, _ query: SQLQueryString) async throws -> Int {
        try await database.withUnsafeSQL { sql in try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    @Test("new, repeated and already stored bodies and messages in one batch", arguments: TestDatabaseKind.stores)
    func decisions(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let unit = try await UnitService(store: store).create(name: "Loja").id
            // Before the batch: a message stored one by one, and a body recorded.
            _ = try await store.storeIncomingMessage(item(unit: unit, id: "OLD", phone: "5511900000003", at: -100).message)
            let recorded = item(unit: unit, id: "RECORDED", phone: "5511900000004", at: -50)
            var pending = recorded.record
            (pending.result, pending.attempts, pending.appliedAt) = (.pending, 0, nil)
            _ = try await store.recordWebhookEvent(pending)

            let first = item(unit: unit, id: "M1", phone: "5511900000001", at: 0)
            let batch = [
                first,
                item(unit: unit, id: "M2", phone: "5511900000001", name: nil, at: 10),
                first,  // the same body again
                item(unit: unit, id: "M1", phone: "5511900000001", at: 0, body: "{\"another body\":\"M1\"}"),
                // Not escaped beforehand (as the listener leaves it for PostgreSQL): SQLite escapes it itself.
                item(unit: unit, id: "M3", phone: "5511900000002", name: "João", at: 5,
                     body: "{\"text\":\"linha 1\\nlinha 2 \\\"aspas\\\" \\\\ olá ☕\",\"raw\":\"\u{01}\t\n\"}",
                     escapingBody: false),
                item(unit: unit, id: "OLD", phone: "5511900000003", at: -100, body: "{\"another body\":\"OLD\"}"),
                recorded,
            ]
            let results = try await store.storeInboundBatch(batch)
            #expect(results.count == 7)
            guard results.count == 7 else { return }
            #expect(results[0] != .duplicateMessage && results[0] != .bodyAlreadyStored)
            #expect(results[1] != .duplicateMessage && results[1] != .bodyAlreadyStored)
            #expect(results[2] == .bodyAlreadyStored)
            #expect(results[3] == .duplicateMessage)
            #expect(results[5] == .duplicateMessage)
            #expect(results[6] == .bodyAlreadyStored)

            #expect(try await rows(database, "SELECT external_id AS v FROM messages ORDER BY external_id") == ["M1", "M2", "M3", "OLD"])
            #expect(try await rows(database, "SELECT status || '/' || direction AS v FROM messages WHERE external_id = 'M2'") == ["received/inbound"])
            // Bodies: the recorded one as it was, and five new ones (the repeated body once), applied.
            #expect(try await count(database, "SELECT count(*) AS n FROM webhook_events") == 6)
            #expect(try await count(database, "SELECT count(*) AS n FROM webhook_events WHERE result = 'applied' AND attempts = 1") == 5)
            // Each new body stored as received, byte for byte (quotes, backslashes, control characters, non-ASCII).
            for index in [0, 1, 3, 4, 5] {
                #expect(try await store.webhookEvent(id: batch[index].record.id)?.body == batch[index].record.body, "item \(index)")
            }
            // One contact per phone; the name from the message that had one.
            #expect(try await rows(database, "SELECT phone || ':' || COALESCE(name, '-') AS v FROM contacts ORDER BY phone")
                == ["5511900000001:Maria", "5511900000002:João", "5511900000003:Maria"])
            // The first contact's conversation shows its newest message, M2, and both messages belong to it.
            #expect(try await rows(database, """
                SELECT m.external_id || ':' || c.last_message_preview AS v FROM conversations c
                JOIN contacts k ON k.id = c.contact_id JOIN messages m ON m.id = c.last_message_id
                WHERE k.phone = '5511900000001'
                """) == ["M2:olá M2"])
            #expect(try await count(database, """
                SELECT count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
                JOIN contacts k ON k.id = c.contact_id AND k.id = m.contact_id WHERE k.phone = '5511900000001'
                """) == 2)
            let inbound = try await database.withUnsafeSQL { sql in
                try await sql.raw("""
                    SELECT c.last_inbound_at FROM conversations c JOIN contacts k ON k.id = c.contact_id
                    WHERE k.phone = '5511900000001'
                    """).first()?.decode(column: "last_inbound_at", as: Date.self)
            }
            #expect(abs((inbound ?? .distantPast).timeIntervalSince(t0.addingTimeInterval(10))) < 0.001)

            // The same batch again: every body is already stored, nothing changes.
            #expect(try await store.storeInboundBatch(batch).allSatisfy { $0 == .bodyAlreadyStored })
            #expect(try await count(database, "SELECT count(*) AS n FROM messages") == 4)
        }
    }

    @Test("overlapping batches at once: every message once, every summary its newest", arguments: TestDatabaseKind.stores)
    func concurrentBatches(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let unit = try await UnitService(store: store).create(name: "Loja").id
            // 60 messages from 6 contacts, each carried by 3 different bodies, in 9 shuffled batches of 20.
            let copies = (0..<3).flatMap { copy in
                (0..<60).map { index in
                    item(unit: unit, id: "MSG\(index)", phone: "55119000000\(index % 6)", at: Double(index),
                         body: "{\"copy\":\(copy),\"id\":\(index)}")
                }
            }.shuffled()
            let batches = stride(from: 0, to: copies.count, by: 20).map { Array(copies[$0..<min($0 + 20, copies.count)]) }
            let results = try await withThrowingTaskGroup(of: [InboundBatchResult].self) { group in
                for batch in batches { group.addTask { try await store.storeInboundBatch(batch) } }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(results.filter { if case .stored = $0 { true } else { false } }.count == 60)
            #expect(results.filter { $0 == .duplicateMessage }.count == 120)
            #expect(try await count(database, "SELECT count(*) AS n FROM messages") == 60)
            #expect(try await count(database, "SELECT count(*) AS n FROM webhook_events") == 180)
            #expect(try await count(database, "SELECT count(*) AS n FROM contacts") == 6)
            #expect(try await count(database, "SELECT count(*) AS n FROM conversations") == 6)
            #expect(try await rows(database, """
                SELECT m.external_id AS v FROM conversations c JOIN messages m ON m.id = c.last_message_id ORDER BY m.external_id
                """) == (54..<60).map { "MSG\($0)" })
        }
    }

    @Test("a batch that breaks a rule stores nothing at all", arguments: TestDatabaseKind.stores)
    func failingBatch(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let unit = try await UnitService(store: store).create(name: "Loja").id
            let batch = [
                item(unit: unit, id: "GOOD", phone: "5511900000001", at: 0),
                item(unit: unit, id: "BAD", phone: "12", at: 1),  // the schema wants 8 to 15 digits
            ]
            await #expect(throws: (any Error).self) { try await store.storeInboundBatch(batch) }
            #expect(try await count(database, "SELECT count(*) AS n FROM webhook_events") == 0)
            #expect(try await count(database, "SELECT count(*) AS n FROM messages") == 0)
            #expect(try await count(database, "SELECT count(*) AS n FROM contacts") == 0)
        }
    }
}
