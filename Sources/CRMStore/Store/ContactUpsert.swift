import CRMCore
import Foundation
import SQLKit

/// Finds or creates the contact of an incoming message inside its transaction, keeping one
/// contact per person: by phone when the message has one (adopting a contact first seen by LID
/// only), by LID otherwise. Uses the unique keys (upserts), so concurrent listeners agree.
struct ContactUpsert {
    let message: IncomingMessage
    let now: Date

    private var name: String? { Self.profileName(of: message) }

    /// The profile name is the contact's only on the contact's own messages.
    static func profileName(of message: IncomingMessage) -> String? {
        message.fromMe ? nil : message.senderName.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
    }

    func run(_ sql: any SQLDatabase) async throws -> UUID {
        guard let phone = message.phone else { return try await byLID(sql, message.lid!) }
        var lid = message.lid
        if let knownLID = lid,
           let row = try await sql.raw("""
               SELECT id, phone FROM contacts WHERE unit_id = \(bind: message.unitId) AND lid = \(bind: knownLID)
               """).first() {
            let id = try row.uuid("id")
            let storedPhone = try row.optional("phone", as: String.self)
            if storedPhone == phone { return try await touch(sql, id) }
            let phoneTaken = try await sql.raw("""
                SELECT id FROM contacts WHERE unit_id = \(bind: message.unitId) AND phone = \(bind: phone)
                """).first() != nil
            if storedPhone == nil && !phoneTaken {
                // First seen by LID only: this message tells its number.
                try await sql.raw("""
                    UPDATE contacts SET phone = \(bind: phone), name = COALESCE(\(bind: name), name), updated_at = \(bind: now)
                    WHERE id = \(bind: id)
                    """).run()
                return id
            }
            lid = nil  // the LID belongs to another contact row: do not move it
        }
        let id = try await sql.raw("""
            INSERT INTO contacts (id, unit_id, phone, lid, name, created_at, updated_at)
            VALUES (\(bind: UUID()), \(bind: message.unitId), \(bind: phone), \(bind: lid), \(bind: name), \(bind: now), \(bind: now))
            ON CONFLICT (unit_id, phone) DO UPDATE SET name = COALESCE(excluded.name, contacts.name),
                lid = COALESCE(contacts.lid, excluded.lid), updated_at = excluded.updated_at
            RETURNING id
            """).first().map { try $0.uuid("id") }
        guard let id else { throw CRMError(.internal, "The contact could not be recorded.") }
        return id
    }

    private func byLID(_ sql: any SQLDatabase, _ lid: String) async throws -> UUID {
        let id = try await sql.raw("""
            INSERT INTO contacts (id, unit_id, phone, lid, name, created_at, updated_at)
            VALUES (\(bind: UUID()), \(bind: message.unitId), \(bind: String?.none), \(bind: lid), \(bind: name), \(bind: now), \(bind: now))
            ON CONFLICT (unit_id, lid) DO UPDATE SET name = COALESCE(excluded.name, contacts.name), updated_at = excluded.updated_at
            RETURNING id
            """).first().map { try $0.uuid("id") }
        guard let id else { throw CRMError(.internal, "The contact could not be recorded.") }
        return id
    }

    private func touch(_ sql: any SQLDatabase, _ id: UUID) async throws -> UUID {
        try await sql.raw("""
            UPDATE contacts SET name = COALESCE(\(bind: name), name), updated_at = \(bind: now) WHERE id = \(bind: id)
            """).run()
        return id
    }
}
