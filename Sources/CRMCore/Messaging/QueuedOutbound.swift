import Foundation

/// A queued outbound message the worker holds the lease of, with the number to send it to.
package struct QueuedOutbound: Sendable, Equatable {
    package var message: Message
    /// The contact's digits (country code first); `nil` for a contact known only by its WhatsApp LID.
    package var phone: String?

    package init(message: Message, phone: String?) {
        self.message = message
        self.phone = phone
    }
}

/// A unit with queued messages that no worker will take while its connection is not connected.
package struct OutboundWaitingUnit: Sendable, Equatable {
    package var unitId: UUID
    package var slug: String
    package var queued: Int

    package init(unitId: UUID, slug: String, queued: Int) {
        self.unitId = unitId
        self.slug = slug
        self.queued = queued
    }
}
