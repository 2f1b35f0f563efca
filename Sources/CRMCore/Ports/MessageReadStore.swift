import Foundation

/// Reading a unit's messages, conversations and contacts (the `crm messages|conversations|contacts`
/// commands and the HTTP API). Every list is scoped to one unit.
package protocol MessageReadStore: Sendable {
    /// At most `filter.limit` messages in `filter.order` (newest first by default), ties broken by id.
    func messages(_ filter: MessageFilter) async throws -> [MessageRecord]
    func message(id: UUID) async throws -> MessageRecord?
    /// Most recent activity first (conversations without messages last), ties broken by id.
    func conversations(_ filter: ConversationFilter) async throws -> [ConversationRecord]
    /// Most recently updated first, ties broken by id.
    func contacts(_ filter: ContactFilter) async throws -> [Contact]
}

extension MessageReadStore {
    /// The first `limit` conversations of a unit.
    package func conversations(unitId: UUID, limit: Int) async throws -> [ConversationRecord] {
        try await conversations(ConversationFilter(unitId: unitId, limit: limit))
    }

    /// The first `limit` contacts of a unit.
    package func contacts(unitId: UUID, limit: Int) async throws -> [Contact] {
        try await contacts(ContactFilter(unitId: unitId, limit: limit))
    }
}
