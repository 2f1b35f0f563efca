import Foundation
import SQLKit

extension SQLStore {
    /// A receipt can arrive before the send that produced its provider message id is recorded.
    /// Whoever comes second must see the other's write: the receipt looks for the message (and,
    /// not finding it, leaves itself in `pending_message_statuses`); the send, or our own message's
    /// echo, looks for receipts left waiting. Under PostgreSQL's READ COMMITTED both can miss each
    /// other when each commits while the other runs, and the receipt then waits forever (seen in a
    /// 1,000-recipient campaign: one message stuck at delivered). A transaction-scoped advisory
    /// lock per provider message id, taken before either looks, makes the second wait for the
    /// first's commit; its next statement sees the first's rows. SQLite has one writer: no lock.
    ///
    /// Keys are taken in ascending order, so that two batches never wait for each other crosswise.
    static func lockProviderMessageIds(_ sql: any SQLDatabase, _ externalIds: some Collection<String>) async throws {
        guard sql.dialect.name == "postgresql", !externalIds.isEmpty else { return }
        var values: SQLQueryString = ""
        for (index, id) in Set(externalIds).sorted().enumerated() {
            if index > 0 { values += ", " }
            values += "(\(bind: id))"
        }
        try await sql.raw("""
            SELECT pg_advisory_xact_lock(k.key) FROM (
                SELECT DISTINCT hashtextextended('crm.receipt:' || v.column1, 0) AS key FROM (VALUES \(values)) AS v ORDER BY 1
            ) AS k
            """).run()
    }
}
