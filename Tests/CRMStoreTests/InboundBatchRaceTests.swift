import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

/// The race only PostgreSQL's batch function has: another listener stores the same message after
/// the function checked that it was new and before it inserts it. The function writes the
/// conversation's summary before the message (db/postgres/0014), so in that case the summary must
/// end up naming the row the other listener stored.
extension InboundBatchStoreContractTests {
    @Test("a message another listener commits while the batch waits on it: a duplicate, and the summary names its row")
    func messageStoredByAnotherListenerMeanwhile() async throws {
        guard TestDatabaseKind.stores.contains(.postgresPool) else { return }  // needs CRM_TEST_POSTGRES_URL
        try await TestDatabases.with(.postgresPool) { database in
            let store = database.store
            let unit = try await UnitService(store: store).create(name: "Loja").id
            let phone = "5511900000001"
            _ = try await store.storeIncomingMessage(item(unit: unit, id: "EARLY", phone: phone, at: 0).message)
            let racing = item(unit: unit, id: "RACE", phone: phone, at: 10)
            let othersRow = UUID()

            // "The other listener": its insert of RACE, not committed until the batch waits on it.
            let (batch, waited) = try await database.withUnsafeTransaction { sql in
                try await sql.raw("""
                    INSERT INTO messages (id, unit_id, conversation_id, contact_id, direction, type, body, external_id,
                                          provider, status, received_at, created_at, updated_at)
                    SELECT \(bind: othersRow), unit_id, id, contact_id, 'inbound', 'text', 'olá RACE', 'RACE',
                           'evolution', 'received', now(), now(), now()
                    FROM conversations
                    """).run()
                let batch = Task { try await store.storeInboundBatch([racing]) }
                let deadline = ContinuousClock.now + .seconds(30)
                var waiting = 0
                while waiting == 0, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                    try await sql.raw("SELECT pg_stat_clear_snapshot()").run()
                    waiting = try await sql.raw("""
                        SELECT count(*) AS n FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%crm_store_inbound_batch%'
                        """).first()?.decode(column: "n", as: Int.self) ?? 0
                }
                return (batch, waiting > 0)
            }
            #expect(waited, "the batch never waited on the other listener's insert")
            #expect(try await batch.value == [.duplicateMessage])
            #expect(try await count(database, "SELECT count(*) AS n FROM messages") == 2)
            #expect(try await rows(database, """
                SELECT m.id::text || ':' || m.external_id || ':' || c.last_message_preview AS v
                FROM conversations c JOIN messages m ON m.id = c.last_message_id
                """) == ["\(othersRow.uuidString.lowercased()):RACE:olá RACE"])
        }
    }
}
