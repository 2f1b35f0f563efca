import CRMCore
import Foundation
import SQLKit

extension SQLStore: IngestTransactions {
    package func inIngestTransaction<T>(_ body: (any WebhookApplyStore) async throws -> T) async throws -> T {
        try await driver.transaction { sql in
            try await body(SQLStore(driver: TransactionScopedDriver(dialect: dialect, sql: sql)))
        }
    }
}

extension SQLStore: WebhookEventStore {
    static let webhookEventColumns = """
        id, unit_id, provider, event_type, instance, dedupe_key, body, result, error, attempts, received_at, applied_at
        """

    /// Two statements, no transaction of its own: when the INSERT meets the unique key, the row it
    /// met is committed (PostgreSQL waits for the inserting transaction first), so the SELECT finds it.
    package func recordWebhookEvent(_ event: StoredWebhookEvent) async throws -> StoredWebhookEvent? {
        try await driver.read { sql in
            let inserted = try await sql.raw("""
                INSERT INTO webhook_events (\(unsafeRaw: Self.webhookEventColumns))
                VALUES (\(bind: event.id), \(bind: event.unitId), \(bind: event.provider.rawValue), \(bind: event.eventType),
                        \(bind: event.instance), \(bind: event.dedupeKey), \(bind: event.body), \(bind: event.result.rawValue),
                        \(bind: event.error), \(bind: event.attempts), \(bind: event.receivedAt), \(bind: event.appliedAt))
                ON CONFLICT (unit_id, provider, dedupe_key) DO NOTHING
                RETURNING id
                """).first()
            guard inserted == nil else { return nil }
            return try await sql.raw("""
                SELECT \(unsafeRaw: Self.webhookEventColumns) FROM webhook_events
                WHERE unit_id = \(bind: event.unitId) AND provider = \(bind: event.provider.rawValue)
                  AND dedupe_key = \(bind: event.dedupeKey)
                """).first().map(Self.webhookEvent(from:))
        }
    }

    /// One UPDATE: atomic without a transaction of its own.
    package func finishWebhookEvent(id: UUID, result: WebhookEventResult, error: String?, at date: Date) async throws {
        try await driver.read { sql in
            try await sql.raw("""
                UPDATE webhook_events SET result = \(bind: result.rawValue), error = \(bind: error),
                    attempts = attempts + 1, applied_at = \(bind: date)
                WHERE id = \(bind: id)
                """).run()
        }
    }

    package func webhookEvent(id: UUID) async throws -> StoredWebhookEvent? {
        try await driver.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.webhookEventColumns) FROM webhook_events WHERE id = \(bind: id)")
                .first().map(Self.webhookEvent(from:))
        }
    }

    package func webhookEvents(result: WebhookEventResult, limit: Int) async throws -> [StoredWebhookEvent] {
        try await driver.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.webhookEventColumns) FROM webhook_events WHERE result = \(bind: result.rawValue)
                ORDER BY received_at, id LIMIT \(bind: limit)
                """).all().map(Self.webhookEvent(from:))
        }
    }

    static func webhookEvent(from row: any SQLRow) throws -> StoredWebhookEvent {
        let provider = try row.decode(column: "provider", as: String.self)
        let result = try row.decode(column: "result", as: String.self)
        guard let kind = ProviderKind(rawValue: provider), let outcome = WebhookEventResult(rawValue: result) else {
            throw CRMError(.internal, "A webhook event row holds an unknown provider or result: is this crm older than the database?")
        }
        let unitText = try row.optional("unit_id", as: String.self)
        return StoredWebhookEvent(
            id: try row.uuid("id"), unitId: unitText.flatMap(UUID.init(uuidString:)), provider: kind,
            eventType: try row.decode(column: "event_type", as: String.self), instance: try row.optional("instance"),
            dedupeKey: try row.decode(column: "dedupe_key", as: String.self), body: try row.decode(column: "body", as: String.self),
            result: outcome, error: try row.optional("error"), attempts: try row.decode(column: "attempts", as: Int.self),
            receivedAt: try row.decode(column: "received_at", as: Date.self), appliedAt: try row.optional("applied_at")
        )
    }
}
