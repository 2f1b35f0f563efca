import CRMCore
import Foundation
import SQLKit

extension SQLStore {
    /// The worker's group commit: every record of the batch marked sent by one UPDATE over a
    /// VALUES list (a flush costs three round trips, however many messages it records), then the
    /// few that need more — receipts waiting for their provider id, an echo holding it, a message
    /// no longer queued — one by one as `recordSent` does them. One transaction: all or none.
    package func recordSent(_ records: [SentRecord]) async throws {
        guard !records.isEmpty else { return }
        if records.count == 1, let record = records.first {
            return try await recordSent(id: record.id, externalId: record.externalId, attempts: record.attempts, at: record.date)
        }
        try await driver.transaction { sql in try await Self.recordSent(sql, records) }
    }

    /// The same inside the caller's transaction (a campaign wave's outcomes record theirs with it).
    static func recordSent(_ sql: any SQLDatabase, _ records: [SentRecord]) async throws {
        guard !records.isEmpty else { return }
        try await lockProviderMessageIds(sql, records.map(\.externalId))
        let marked = try await markSent(sql, records)
        for record in records {
            if let pending = marked[record.id] {
                guard pending.waiting else { continue }
                try await applyPendingStatuses(
                    sql, unitId: pending.unitId, provider: pending.provider, externalId: record.externalId, now: record.date)
            } else {
                try await recordSent(sql, id: record.id, externalId: record.externalId, attempts: record.attempts, at: record.date)
            }
        }
    }

    /// Marks sent, in one statement, the records whose message is queued and whose provider id no
    /// other row holds; returns them with their unit, provider and whether receipts wait for them.
    private static func markSent(_ sql: any SQLDatabase, _ records: [SentRecord]) async throws
        -> [UUID: (unitId: UUID, provider: ProviderKind, waiting: Bool)]
    {
        var values: SQLQueryString = ""
        for (index, record) in records.enumerated() {
            if index > 0 { values += ", " }
            values += "(\(bind: record.id), \(bind: record.externalId), \(bind: record.date), \(bind: record.attempts))"
        }
        // VALUES names its columns column1…column4 on both dialects. "No other row holds the id" is a
        // scalar subquery, not NOT EXISTS: PostgreSQL plans NOT EXISTS as an anti-join, which (with
        // statistics from before a burst) it ran on the unit and provider only, reading every row
        // of the unit for each record; the subquery always looks up all three columns of the key.
        let rows = try await sql.raw("""
            UPDATE messages SET status = 'sent', external_id = v.external_id, sent_at = v.sent_at, retry_count = v.attempts,
                lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL, error_code = NULL, error_message = NULL,
                updated_at = v.sent_at
            FROM (SELECT column1 AS id, column2 AS external_id, column3 AS sent_at, column4 AS attempts
                  FROM (VALUES \(values)) AS x) AS v
            WHERE messages.id = v.id AND messages.status = 'queued'
              AND (SELECT e.id FROM messages e WHERE e.unit_id = messages.unit_id AND e.provider = messages.provider
                   AND e.external_id = v.external_id) IS NULL
            RETURNING messages.id, messages.unit_id, messages.provider,
                CASE WHEN EXISTS (SELECT 1 FROM pending_message_statuses p WHERE p.unit_id = messages.unit_id
                                  AND p.provider = messages.provider AND p.external_id = messages.external_id) THEN 1 ELSE 0 END AS waiting
            """).all()
        var marked: [UUID: (unitId: UUID, provider: ProviderKind, waiting: Bool)] = [:]
        for row in rows {
            guard let provider = ProviderKind(rawValue: try row.decode(column: "provider", as: String.self)) else { continue }
            marked[try row.uuid("id")] = (try row.uuid("unit_id"), provider, try row.decode(column: "waiting", as: Int.self) != 0)
        }
        return marked
    }
}
