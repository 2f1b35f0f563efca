import Foundation

package enum MessageDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case inbound, outbound
}

/// A stored message's status: outbound ones go queued → sent → delivered → read (or failed,
/// terminal); inbound ones are `received`.
package enum MessageState: String, Sendable, Hashable, Codable, CaseIterable {
    case queued, sent, delivered, read, failed, received

    /// The stored state a provider status maps to.
    package init(_ status: MessageStatus) {
        switch status {
        case .queued: self = .queued
        case .sent: self = .sent
        case .delivered: self = .delivered
        case .read: self = .read
        case .failed: self = .failed
        }
    }
}

/// The `messages.type` column: the inbound types plus `template` (Meta templates we send).
package enum MessageKind: String, Sendable, Hashable, Codable, CaseIterable {
    case text, image, video, audio, document, sticker, location, contact, reaction
    case buttonReply = "button_reply"
    case listReply = "list_reply"
    case template
    /// Content crm does not model (polls, orders…).
    case unknown

    package init(_ type: InboundMessageType) {
        switch type {
        case .text: self = .text
        case .image: self = .image
        case .video: self = .video
        case .audio: self = .audio
        case .document: self = .document
        case .sticker: self = .sticker
        case .location: self = .location
        case .contact: self = .contact
        case .reaction: self = .reaction
        case .buttonReply: self = .buttonReply
        case .listReply: self = .listReply
        case .unsupported: self = .unknown
        }
    }
}

/// One WhatsApp message of a unit, either direction.
package struct Message: Sendable, Equatable, Codable {
    package var id: UUID
    package var unitId: UUID
    package var conversationId: UUID
    package var contactId: UUID
    package var campaignId: UUID?
    package var direction: MessageDirection
    package var kind: MessageKind
    /// Text, or a media caption; for a template we send, its summary.
    package var body: String?
    /// The template an outbound `template` message sends (name, language, parameters).
    package var template: MessageTemplate?
    /// The caller's idempotency key for sends.
    package var clientMessageId: String?
    /// The provider's message id (the dedupe key of inbound messages; what receipts name).
    package var externalId: String?
    package var provider: ProviderKind?
    package var state: MessageState
    package var retryCount: Int
    package var errorCode: String?
    /// Sanitized: never a token or a full phone number.
    package var errorMessage: String?
    package var queuedAt: Date?
    package var sentAt: Date?
    package var deliveredAt: Date?
    package var readAt: Date?
    package var failedAt: Date?
    package var receivedAt: Date?
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: UUID = UUID(), unitId: UUID, conversationId: UUID, contactId: UUID, campaignId: UUID? = nil,
        direction: MessageDirection, kind: MessageKind, body: String?, clientMessageId: String? = nil,
        externalId: String? = nil, provider: ProviderKind? = nil, state: MessageState, retryCount: Int = 0,
        errorCode: String? = nil, errorMessage: String? = nil, queuedAt: Date? = nil, sentAt: Date? = nil,
        deliveredAt: Date? = nil, readAt: Date? = nil, failedAt: Date? = nil, receivedAt: Date? = nil,
        createdAt: Date, updatedAt: Date, template: MessageTemplate? = nil
    ) {
        self.id = id
        self.unitId = unitId
        self.conversationId = conversationId
        self.contactId = contactId
        self.campaignId = campaignId
        self.direction = direction
        self.kind = kind
        self.body = body
        self.template = template
        self.clientMessageId = clientMessageId
        self.externalId = externalId
        self.provider = provider
        self.state = state
        self.retryCount = retryCount
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.queuedAt = queuedAt
        self.sentAt = sentAt
        self.deliveredAt = deliveredAt
        self.readAt = readAt
        self.failedAt = failedAt
        self.receivedAt = receivedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A message with its contact, as lists show it.
package struct MessageRecord: Sendable, Equatable {
    package var message: Message
    package var contact: Contact

    package init(message: Message, contact: Contact) {
        self.message = message
        self.contact = contact
    }
}
