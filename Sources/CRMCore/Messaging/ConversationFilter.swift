import Foundation

/// A position in a unit's conversations, in their list order (last message first, conversations
/// without one last, then the last change, then the id): the last row a reader has seen.
///
/// The order is by activity, so a conversation that gets a message while someone pages moves to
/// the top: it is not repeated on a later page (read the first page again to see it).
package struct ConversationCursor: Sendable, Hashable {
    package var lastMessageAt: Date?
    package var updatedAt: Date
    package var id: UUID

    package init(lastMessageAt: Date?, updatedAt: Date, id: UUID) {
        self.lastMessageAt = lastMessageAt
        self.updatedAt = updatedAt
        self.id = id
    }

    package init(_ conversation: Conversation) {
        self.init(lastMessageAt: conversation.lastMessageAt, updatedAt: conversation.updatedAt, id: conversation.id)
    }
}

/// What `crm conversations list` and `GET /conversations` ask for: one unit's conversations,
/// most recent activity first.
package struct ConversationFilter: Sendable, Hashable {
    package var unitId: UUID
    /// Digits of the contact's phone.
    package var contactPhone: String?
    /// Only conversations whose last message is at or after this date.
    package var since: Date?
    /// Only conversations after this one in the list order (the next page).
    package var after: ConversationCursor?
    package var limit: Int

    package init(unitId: UUID, contactPhone: String? = nil, since: Date? = nil, after: ConversationCursor? = nil, limit: Int = 50) {
        self.unitId = unitId
        self.contactPhone = contactPhone
        self.since = since
        self.after = after
        self.limit = limit
    }
}
