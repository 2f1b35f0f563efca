import CRMCore
import Foundation
import SQLKit

extension SQLStore: OutboundQueueStore {
    /// One UPDATE whose subquery picks the due messages. A campaign's messages are its dispatchers'
    /// (`CampaignDispatcher`): the worker never takes them. On PostgreSQL the subquery locks what it
    /// picks with `FOR UPDATE … SKIP LOCKED`: a concurrent claimer skips those rows instead of
    /// waiting for them, so concurrent claims get disjoint sets. On SQLite the statement runs in
    /// the write transaction (`BEGIN IMMEDIATE`), which one connection holds at a time.
    package func claimDueOutbound(limit: Int, owner: String, until: Date, now: Date, excludingUnits: Set<UUID>) async throws
        -> [QueuedOutbound]
    {
        guard limit > 0 else { return [] }
        // The connection is checked by a scalar subquery, not a join: PostgreSQL then walks the
        // index in queue order and stops at `limit` rows (about 1 ms with 10,000 queued) instead of
        // joining and sorting the whole queue for each batch (about 12 ms).
        var due: SQLQueryString = """
            SELECT q.id FROM messages q
            WHERE q.status = 'queued' AND q.direction = 'outbound' AND q.campaign_id IS NULL
              AND (q.next_attempt_at IS NULL OR q.next_attempt_at <= \(bind: now))
              AND (q.lease_expires_at IS NULL OR q.lease_expires_at < \(bind: now))
              AND (SELECT c.status FROM unit_whatsapp_connections c
                   WHERE c.unit_id = q.unit_id AND c.provider = q.provider) = 'connected'
            """
        if !excludingUnits.isEmpty {
            due += " AND q.unit_id NOT IN (\(binds: excludingUnits.map { $0 as any Encodable & Sendable }))"
        }
        // The index messages_outbound_due_idx holds the queued rows in this order (migration 0005).
        due += " ORDER BY q.queued_at, q.id LIMIT \(unsafeRaw: String(limit))"
        if dialect == .postgres { due += " FOR UPDATE OF q SKIP LOCKED" }
        let claim: SQLQueryString = """
            UPDATE messages SET lease_owner = \(bind: owner), lease_expires_at = \(bind: until), updated_at = \(bind: now)
            WHERE id IN (\(due))
            RETURNING \(unsafeRaw: Self.updatedMessageColumns),
                (SELECT ct.phone FROM contacts ct WHERE ct.id = messages.contact_id) AS phone
            """
        let rows = try await driver.transaction { sql in
            if dialect == .postgres {
                // Walk the index in queue order, whatever the statistics say. They are usually from a
                // moment when few messages were queued (the normal state); after a burst (10,000
                // queued by a script) the planner may then read every queued row and sort them for
                // each batch: 25 ms instead of 1 ms per claim, measured.
                try await sql.raw("""
                    SELECT set_config('enable_sort', 'off', true), set_config('enable_bitmapscan', 'off', true)
                    """).run()
            }
            return try await sql.raw(claim).all()
        }
        return try rows.map { row in QueuedOutbound(message: try Self.message(from: row), phone: try row.optional("phone")) }
            .sorted { Self.queueOrder($0.message) < Self.queueOrder($1.message) }
    }

    package func releaseOutbound(ids: [UUID], owner: String, at date: Date) async throws {
        guard !ids.isEmpty else { return }
        try await driver.transaction { sql in
            try await sql.raw("""
                UPDATE messages SET lease_owner = NULL, lease_expires_at = NULL, updated_at = \(bind: date)
                WHERE id IN (\(binds: ids.map { $0 as any Encodable & Sendable }))
                  AND lease_owner = \(bind: owner) AND status = 'queued'
                """).run()
        }
    }

    package func outboundAwaitingConnection() async throws -> [OutboundWaitingUnit] {
        try await driver.read { sql in
            try await sql.raw("""
                SELECT q.unit_id, u.slug, count(*) AS queued FROM messages q
                JOIN units u ON u.id = q.unit_id
                LEFT JOIN unit_whatsapp_connections c ON c.unit_id = q.unit_id AND c.provider = q.provider AND c.status = 'connected'
                WHERE q.status = 'queued' AND q.direction = 'outbound' AND q.campaign_id IS NULL AND c.id IS NULL
                GROUP BY q.unit_id, u.slug
                """).all().map { row in
                OutboundWaitingUnit(
                    unitId: try row.uuid("unit_id"), slug: try row.decode(column: "slug", as: String.self),
                    queued: try row.decode(column: "queued", as: Int.self))
            }
            .sorted { $0.slug < $1.slug }
        }
    }

    /// RETURNING gives rows in no particular order: the queue's order again.
    private static func queueOrder(_ message: Message) -> (Date, String) {
        (message.queuedAt ?? message.createdAt, message.id.uuidString)
    }

    /// `messageColumns` qualified by the table's own name, as an UPDATE's RETURNING names them on
    /// both dialects (every `m.` becomes `messages.`, inside expressions such as the CAST too).
    static let updatedMessageColumns: String = messageColumns.replacing(/\bm\./, with: "messages.")
}
