import CRMCore
import Foundation
import SQLKit

extension SQLStore: RecipientStore {
    /// One read: the contact by (unit, phone), its opt-out, and its conversation's last inbound
    /// time (kept by the write path from each inbound message's provider timestamp).
    package func sendRecipient(unitId: UUID, phone: String) async throws -> SendRecipient? {
        try await driver.read { sql in
            guard let row = try await sql.raw("""
                SELECT c.opted_out, v.last_inbound_at FROM contacts c
                LEFT JOIN conversations v ON v.unit_id = c.unit_id AND v.contact_id = c.id
                WHERE c.unit_id = \(bind: unitId) AND c.phone = \(bind: phone)
                """).first() else { return nil }
            return SendRecipient(
                optedOut: try row.decode(column: "opted_out", as: Bool.self),
                lastInboundAt: try row.optional("last_inbound_at", as: Date.self)
            )
        }
    }
}
