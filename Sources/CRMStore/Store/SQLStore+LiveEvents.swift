import CRMCore
import Foundation
import SQLKit

/// The changes `GET /events` streams, read from the tables by `updated_at` (messages through
/// `messages_updated_idx`; connections and campaigns are few).
extension SQLStore: LiveEventStore {
    package func liveChanges(unitIds: [UUID]?, since: Date, limit: Int) async throws -> [LiveEvent] {
        try await driver.read { sql in
            let units = self.unitFilter(unitIds)
            var events: [LiveEvent] = []
            for row in try await sql.raw("""
                SELECT m.id, m.unit_id, m.conversation_id, m.direction, m.status, m.created_at, m.updated_at FROM messages m
                WHERE m.updated_at > \(bind: since)\(units("m.unit_id"))
                ORDER BY m.updated_at LIMIT \(unsafeRaw: String(max(1, limit)))
                """).all() {
                let (created, updated) = (try row.decode(column: "created_at", as: Date.self), try row.decode(column: "updated_at", as: Date.self))
                events.append(LiveEvent(
                    kind: created > since ? .messageCreated : .messageStatus, unitId: try row.uuid("unit_id"), subjectId: try row.uuid("id"),
                    changedAt: updated,
                    fields: [
                        "conversationId": .text(try row.uuid("conversation_id").uuidString.lowercased()),
                        "direction": .text(try row.decode(column: "direction", as: String.self)),
                        "status": .text(try row.decode(column: "status", as: String.self)),
                    ]))
            }
            for row in try await sql.raw("""
                SELECT c.id, c.unit_id, c.provider, c.status, c.updated_at FROM unit_whatsapp_connections c
                WHERE c.updated_at > \(bind: since)\(units("c.unit_id"))
                """).all() {
                events.append(LiveEvent(
                    kind: .connectionChanged, unitId: try row.uuid("unit_id"), subjectId: try row.uuid("id"),
                    changedAt: try row.decode(column: "updated_at", as: Date.self),
                    fields: [
                        "provider": .text(try row.decode(column: "provider", as: String.self)),
                        "status": .text(try row.decode(column: "status", as: String.self)),
                    ]))
            }
            return events.sorted { $0.changedAt < $1.changedAt }
        }
    }

    package func liveCampaignProgress(unitIds: [UUID]?, since: Date) async throws -> [LiveEvent] {
        try await driver.read { sql in
            let units = self.unitFilter(unitIds)
            var events: [UUID: LiveEvent] = [:]
            for row in try await sql.raw("""
                SELECT c.id, c.unit_id, c.status, c.updated_at FROM campaigns c
                WHERE (c.status = 'running' OR c.updated_at > \(bind: since))\(units("c.unit_id"))
                """).all() {
                let id = try row.uuid("id")
                events[id] = LiveEvent(
                    kind: .campaignProgress, unitId: try row.uuid("unit_id"), subjectId: id,
                    changedAt: try row.decode(column: "updated_at", as: Date.self),
                    fields: ["status": .text(try row.decode(column: "status", as: String.self))])
            }
            guard !events.isEmpty else { return [] }
            for row in try await sql.raw("""
                SELECT r.campaign_id, r.status, count(*) AS n, max(r.updated_at) AS at FROM campaign_recipients r
                WHERE r.campaign_id IN (\(binds: events.keys.map { $0 as any Encodable & Sendable }))
                GROUP BY r.campaign_id, r.status
                """).all() {
                let id = try row.uuid("campaign_id")
                events[id]?.fields[try row.decode(column: "status", as: String.self)] = .number(try row.decode(column: "n", as: Int.self))
                if let at = try row.optional("at", as: Date.self), let event = events[id], at > event.changedAt {
                    events[id]?.changedAt = at
                }
            }
            return events.values.sorted { $0.changedAt < $1.changedAt }
        }
    }

    /// ` AND column IN (…)` for unit-bound subscribers; nothing for every unit.
    private func unitFilter(_ unitIds: [UUID]?) -> (String) -> SQLQueryString {
        { column in
            guard let unitIds else { return "" }
            guard !unitIds.isEmpty else { return " AND 1 = 0" }
            return " AND \(unsafeRaw: column) IN (\(binds: unitIds.map { $0 as any Encodable & Sendable }))"
        }
    }
}
