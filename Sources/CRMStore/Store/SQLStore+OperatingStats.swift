import CRMCore
import Foundation
import SQLKit

/// `crm stats`: two grouped counts, the same SQL on both dialects. The period is bounded on
/// `webhook_events.received_at` (indexed) and `messages.created_at` (indexed with `unit_id`).
extension SQLStore: OperatingStatsStore {
    package func webhookEventTally(_ period: StatsPeriod) async throws -> WebhookEventTally {
        var query: SQLQueryString = """
            SELECT result, count(*) AS n, coalesce(sum(CASE WHEN attempts > 1 THEN 1 ELSE 0 END), 0) AS reapplied
            FROM webhook_events
            WHERE received_at >= \(bind: period.since) AND received_at <= \(bind: period.until)
            """
        if let unitId = period.unitId { query += " AND unit_id = \(bind: unitId)" }
        query += " GROUP BY result"
        return try await driver.read { sql in
            var tally = WebhookEventTally()
            for row in try await sql.raw(query).all() {
                let text = try row.decode(column: "result", as: String.self)
                guard let result = WebhookEventResult(rawValue: text) else {
                    throw CRMError(.internal, "A webhook event row holds an unknown result: is this crm older than the database?")
                }
                tally.byResult[result, default: 0] += try row.decode(column: "n", as: Int.self)
                tally.reapplied += try row.decode(column: "reapplied", as: Int.self)
            }
            return tally
        }
    }

    package func messageTally(_ period: StatsPeriod) async throws -> MessageTally {
        var query: SQLQueryString = """
            SELECT direction, status, count(*) AS n, coalesce(sum(retry_count), 0) AS calls,
                   coalesce(sum(CASE WHEN retry_count > 1 THEN retry_count - 1 ELSE 0 END), 0) AS retries,
                   coalesce(sum(CASE WHEN retry_count > 1 THEN 1 ELSE 0 END), 0) AS retried
            FROM messages
            WHERE created_at >= \(bind: period.since) AND created_at <= \(bind: period.until)
            """
        if let unitId = period.unitId { query += " AND unit_id = \(bind: unitId)" }
        query += " GROUP BY direction, status"
        return try await driver.read { sql in
            var tally = MessageTally()
            for row in try await sql.raw(query).all() {
                let direction = try row.decode(column: "direction", as: String.self)
                guard let state = MessageState(rawValue: try row.decode(column: "status", as: String.self)) else {
                    throw CRMError(.internal, "A message row holds an unknown status: is this crm older than the database?")
                }
                let count = try row.decode(column: "n", as: Int.self)
                if direction == MessageDirection.inbound.rawValue {
                    tally.inbound[state, default: 0] += count
                } else {
                    tally.outbound[state, default: 0] += count
                    tally.outboundCalls += try row.decode(column: "calls", as: Int.self)
                    tally.outboundRetries += try row.decode(column: "retries", as: Int.self)
                    tally.outboundRetried += try row.decode(column: "retried", as: Int.self)
                }
            }
            return tally
        }
    }
}
