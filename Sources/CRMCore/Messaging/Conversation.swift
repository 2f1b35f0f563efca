import Foundation

/// A unit's thread with one contact (one per contact), with what a list of conversations shows.
package struct Conversation: Sendable, Equatable, Codable {
    package var id: UUID
    package var unitId: UUID
    package var contactId: UUID
    package var lastMessageAt: Date?
    /// The start of the last message's text (at most 100 characters).
    package var lastMessagePreview: String?
    /// The contact's last message: Meta allows free text only within 24 hours of it.
    package var lastInboundAt: Date?
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: UUID = UUID(), unitId: UUID, contactId: UUID, lastMessageAt: Date? = nil, lastMessagePreview: String? = nil,
        lastInboundAt: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.unitId = unitId
        self.contactId = contactId
        self.lastMessageAt = lastMessageAt
        self.lastMessagePreview = lastMessagePreview
        self.lastInboundAt = lastInboundAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A conversation with its contact, as lists show it.
package struct ConversationRecord: Sendable, Equatable {
    package var conversation: Conversation
    package var contact: Contact

    package init(conversation: Conversation, contact: Contact) {
        self.conversation = conversation
        self.contact = contact
    }
}
