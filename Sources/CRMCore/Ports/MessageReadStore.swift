import Foundation

/// Reading a unit's messages, conversations and contacts (the `crm messages|conversations|contacts`
/// commands, later the HTTP API). Every list is scoped to one unit.
package protocol MessageReadStore: Sendable {
    /// At most `filter.limit` messages in `filter.order` (newest first by default), ties broken by id.
    func messages(_ filter: MessageFilter) async throws -> [MessageRecord]
    func message(id: UUID) async throws -> MessageRecord?
    /// Most recent activity first (conversations without messages last).
    func conversations(unitId: UUID, limit: Int) async throws -> [ConversationRecord]
    /// Most recently updated first.
    func contacts(unitId: UUID, limit: Int) async throws -> [Contact]
}
