import Foundation

/// A text or a template to send, as `crm send` (and later `POST /messages`) asks for it.
package struct OutboundRequest: Sendable, Equatable {
    package var unitId: UUID
    package var provider: ProviderKind
    /// Digits with the country code.
    package var phone: String
    /// The text; for a template, its summary (what lists show of it).
    package var body: String
    /// Set for a template message (stored as `type = 'template'`); `nil` for free text.
    package var template: MessageTemplate?
    /// The caller's idempotency key: the same key for the same unit is the same message.
    package var clientMessageId: String
    package var queuedAt: Date

    package init(
        unitId: UUID, provider: ProviderKind, phone: String, body: String, template: MessageTemplate? = nil,
        clientMessageId: String, queuedAt: Date
    ) {
        self.unitId = unitId
        self.provider = provider
        self.phone = phone
        self.body = body
        self.template = template
        self.clientMessageId = clientMessageId
        self.queuedAt = queuedAt
    }
}

/// What storing an outbound request found.
package enum EnqueueResult: Sendable, Equatable {
    /// Stored now, queued.
    case created(Message)
    /// The same key was used before for the same recipient and text (or template and parameters):
    /// that message, as it is now.
    case existing(Message)
    /// The key was used for another recipient, text or template.
    case conflict(Message)
}
