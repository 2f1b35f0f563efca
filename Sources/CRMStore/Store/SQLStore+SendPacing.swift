import CRMCore
import Foundation
import SQLKit

/// The unit's send slots, shared by every process that sends its campaigns: one row per unit
/// (`unit_send_pacing`), read and moved forward in one transaction, locked on PostgreSQL
/// (`FOR UPDATE`) and under the single writer on SQLite. Two dispatchers of one unit thus take
/// alternate slots, and together keep the rate.
extension SQLStore {
    package func reserveSendSlots(unitId: UUID, count: Int, pacing: CampaignPacing, now: Date) async throws -> [Date] {
        guard count > 0 else { return [] }
        return try await driver.transaction { sql in
            try await sql.raw("""
                INSERT INTO unit_send_pacing (unit_id, next_slot_at, batch_sent, updated_at)
                VALUES (\(bind: unitId), \(bind: now), 0, \(bind: now))
                ON CONFLICT (unit_id) DO NOTHING
                """).run()
            let lock: SQLQueryString = dialect == .postgres ? " FOR UPDATE" : ""
            guard let row = try await sql.raw("""
                SELECT next_slot_at, batch_sent FROM unit_send_pacing WHERE unit_id = \(bind: unitId)\(lock)
                """).first() else { throw CRMError(.internal, "The unit's send pacing could not be read.") }
            var plan = SendSlots(
                next: try row.decode(column: "next_slot_at", as: Date.self), batchSent: try row.decode(column: "batch_sent", as: Int.self))
            let slots = plan.reserve(count, pacing: pacing, now: now)
            try await sql.raw("""
                UPDATE unit_send_pacing SET next_slot_at = \(bind: plan.next), batch_sent = \(bind: plan.batchSent),
                    updated_at = \(bind: now)
                WHERE unit_id = \(bind: unitId)
                """).run()
            return slots
        }
    }
}
