import Foundation

/// A message a webhook reported, ready to store for one unit: from a contact (inbound), or sent
/// by the account itself (`fromMe`: from the phone, or the echo of our own send).
package struct IncomingMessage: Sendable, Equatable {
    package var unitId: UUID
    package var provider: ProviderKind
    package var externalId: String
    /// The contact's digits; `nil` when only the LID is known.
    package var phone: String?
    package var lid: String?
    /// The contact's profile name (only from the contact's own messages).
    package var senderName: String?
    package var fromMe: Bool
    package var kind: MessageKind
    package var body: String?
    /// When the provider says it was sent; the receipt time otherwise.
    package var sentAt: Date
    package var receivedAt: Date
    /// Its text is one of the unit's opt-out keywords (decided by the ingestion): storing it opts
    /// the contact out, unless the message was already stored.
    package var optsOut: Bool

    package init(
        unitId: UUID, provider: ProviderKind, externalId: String, phone: String?, lid: String?, senderName: String?,
        fromMe: Bool, kind: MessageKind, body: String?, sentAt: Date, receivedAt: Date, optsOut: Bool = false
    ) {
        self.unitId = unitId
        self.provider = provider
        self.externalId = externalId
        self.phone = phone
        self.lid = lid
        self.senderName = senderName
        self.fromMe = fromMe
        self.kind = kind
        self.body = body
        self.sentAt = sentAt
        self.receivedAt = receivedAt
        self.optsOut = optsOut
    }
}

/// A provider receipt for one of a unit's messages.
package struct MessageStatusUpdate: Sendable, Equatable {
    package var unitId: UUID
    package var provider: ProviderKind
    package var externalId: String
    package var status: MessageStatus
    package var errorCode: String?
    /// Sanitized by the caller.
    package var errorMessage: String?
    package var occurredAt: Date

    package init(
        unitId: UUID, provider: ProviderKind, externalId: String, status: MessageStatus, errorCode: String? = nil,
        errorMessage: String? = nil, occurredAt: Date
    ) {
        self.unitId = unitId
        self.provider = provider
        self.externalId = externalId
        self.status = status
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.occurredAt = occurredAt
    }
}

package enum InboundStoreResult: Sendable, Equatable {
    case stored(messageId: UUID)
    /// Already stored (the same provider id): nothing changed.
    case duplicate
}

package enum StatusApplyResult: Sendable, Equatable {
    case advanced(to: MessageState)
    /// Not a step forward (a late "delivered" after "read"), or an inbound message's id.
    case unchanged
    /// The message is not recorded yet: kept, applied when it appears.
    case pending
}
