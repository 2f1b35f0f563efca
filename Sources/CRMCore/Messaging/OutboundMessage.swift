import Foundation

/// A text to send, as `crm send` (and later `POST /messages`) asks for it.
package struct OutboundRequest: Sendable, Equatable {
    package var unitId: UUID
    package var provider: ProviderKind
    /// Digits with the country code.
    package var phone: String
    package var body: String
    /// The caller's idempotency key: the same key for the same unit is the same message.
    package var clientMessageId: String
    package var queuedAt: Date

    package init(unitId: UUID, provider: ProviderKind, phone: String, body: String, clientMessageId: String, queuedAt: Date) {
        self.unitId = unitId
        self.provider = provider
        self.phone = phone
        self.body = body
        self.clientMessageId = clientMessageId
        self.queuedAt = queuedAt
    }
}

/// What storing an outbound request found.
package enum EnqueueResult: Sendable, Equatable {
    /// Stored now, queued.
    case created(Message)
    /// The same key was used before for the same recipient and text: that message, as it is now.
    case existing(Message)
    /// The key was used for another recipient or text.
    case conflict(Message)
}
