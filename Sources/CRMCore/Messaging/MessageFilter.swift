import Foundation

/// A position in a unit's messages, in their stored order (`createdAt`, then `id`): the last row a
/// reader has seen, to page on from it without gaps or repeats.
package struct MessageCursor: Sendable, Hashable {
    package var createdAt: Date
    package var id: UUID

    package init(createdAt: Date, id: UUID) {
        self.createdAt = createdAt
        self.id = id
    }

    package init(_ message: Message) {
        self.init(createdAt: message.createdAt, id: message.id)
    }
}

/// Which end of the stored order a read starts from.
package enum MessageOrder: Sendable, Hashable {
    /// Newest first: lists, and paging back with `before`.
    case newestFirst
    /// Oldest first: following new messages with `after`, so that a page of `limit` never skips any.
    case oldestFirst
}

/// What `crm messages list|tail` (and later `GET /messages`) asks for. Newest first unless `order` says otherwise.
package struct MessageFilter: Sendable, Hashable {
    package var unitId: UUID
    /// Digits of the contact's phone.
    package var contactPhone: String?
    package var direction: MessageDirection?
    package var state: MessageState?
    /// Only messages created at or after this date.
    package var since: Date?
    /// Only messages strictly before this one in the stored order (paging back: the last row's cursor).
    package var before: MessageCursor?
    /// Only messages strictly after this one in the stored order (following: the newest row seen).
    package var after: MessageCursor?
    package var order: MessageOrder
    package var limit: Int

    package init(
        unitId: UUID, contactPhone: String? = nil, direction: MessageDirection? = nil, state: MessageState? = nil,
        since: Date? = nil, before: MessageCursor? = nil, after: MessageCursor? = nil, order: MessageOrder = .newestFirst,
        limit: Int = 50
    ) {
        self.unitId = unitId
        self.contactPhone = contactPhone
        self.direction = direction
        self.state = state
        self.since = since
        self.before = before
        self.after = after
        self.order = order
        self.limit = limit
    }
}
