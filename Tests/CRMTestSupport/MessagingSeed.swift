import CRMCore
import CRMStore
import Foundation
import SQLKit

/// A contact as the seed wrote it, with its one conversation.
package struct SeededContact: Sendable {
    package let unit: UUID
    package let contact: UUID
    package let conversation: UUID
}

/// Writes units, contacts, conversations and messages with plain SQL, for the tests of the read
/// path: independent of the write path's code, so that both can be built (and broken) separately.
package struct MessagingSeed: Sendable {
    package let database: CRMDatabase

    package init(_ database: CRMDatabase) {
        self.database = database
    }

    /// A unit with the given slug (its name is the slug).
    @discardableResult
    package func unit(_ slug: String, id: UUID = UUID(), at date: Date = Date()) async throws -> UUID {
        try await run("""
            INSERT INTO units (id, name, slug, created_at, updated_at)
            VALUES (\(bind: id), \(bind: slug), \(bind: slug), \(bind: date), \(bind: date))
            """)
        return id
    }

    /// A contact and its conversation (no messages yet: `last_message_at` is NULL).
    package func contact(
        unit: UUID, phone: String?, lid: String? = nil, name: String? = nil, optedOut: Bool = false, at date: Date
    ) async throws -> SeededContact {
        let seeded = SeededContact(unit: unit, contact: UUID(), conversation: UUID())
        try await run("""
            INSERT INTO contacts (id, unit_id, phone, lid, name, opted_out, created_at, updated_at)
            VALUES (\(bind: seeded.contact), \(bind: unit), \(bind: phone), \(bind: lid), \(bind: name), \(bind: optedOut),
                    \(bind: date), \(bind: date))
            """)
        try await run("""
            INSERT INTO conversations (id, unit_id, contact_id, created_at, updated_at)
            VALUES (\(bind: seeded.conversation), \(bind: unit), \(bind: seeded.contact), \(bind: date), \(bind: date))
            """)
        return seeded
    }

    /// A message of `contact` created at `date`; inbound ones are `received`, outbound ones `queued` unless told.
    @discardableResult
    package func message(
        _ contact: SeededContact, direction: MessageDirection = .inbound, state: MessageState? = nil,
        kind: MessageKind = .text, body: String? = "hi", provider: String? = "evolution", externalId: String? = nil,
        errorCode: String? = nil, errorMessage: String? = nil, retryCount: Int = 0, id: UUID = UUID(), at date: Date
    ) async throws -> UUID {
        let state = state ?? (direction == .inbound ? .received : .queued)
        let receivedAt = direction == .inbound ? date : nil
        let queuedAt = direction == .outbound ? date : nil
        try await run("""
            INSERT INTO messages (id, unit_id, conversation_id, contact_id, direction, type, body, external_id, provider,
                                  status, retry_count, error_code, error_message, queued_at, received_at, created_at, updated_at)
            VALUES (\(bind: id), \(bind: contact.unit), \(bind: contact.conversation), \(bind: contact.contact),
                    \(bind: direction.rawValue), \(bind: kind.rawValue), \(bind: body), \(bind: externalId), \(bind: provider),
                    \(bind: state.rawValue), \(bind: retryCount), \(bind: errorCode), \(bind: errorMessage), \(bind: queuedAt),
                    \(bind: receivedAt), \(bind: date), \(bind: date))
            """)
        return id
    }

    /// Sets what a conversation list shows, as the write path would after a message.
    package func conversationActivity(
        _ contact: SeededContact, lastMessageAt: Date?, preview: String?, updatedAt: Date
    ) async throws {
        try await run("""
            UPDATE conversations SET last_message_at = \(bind: lastMessageAt), last_message_preview = \(bind: preview),
                updated_at = \(bind: updatedAt)
            WHERE id = \(bind: contact.conversation)
            """)
    }

    /// Sets a contact's `updated_at` (contacts list most recently updated first).
    package func touchContact(_ contact: SeededContact, at date: Date) async throws {
        try await run("UPDATE contacts SET updated_at = \(bind: date) WHERE id = \(bind: contact.contact)")
    }

    private func run(_ query: SQLQueryString) async throws {
        try await database.withUnsafeSQL { sql in try await sql.raw(query).run() }
    }
}
