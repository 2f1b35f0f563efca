import Foundation

/// A provider's receipt for a message the account sent (`WebhookEvent.statusChanged`). The
/// listener applies it forward only (see `MessageStatus.canAdvance(to:)`).
public struct MessageStatusChange: Sendable, Hashable, Codable {
    /// Evolution `instance`, Meta `phone_number_id` or Z-API `instanceId`.
    public var instance: String
    /// The provider's message id, as returned by the send call (Evolution `keyId`, Meta
    /// `wamid.…`, Z-API `messageId`).
    public var externalId: String
    public var status: MessageStatus
    /// The provider's error code for `failed`, when it gives one (Meta `errors[0].code`).
    public var errorCode: Int?
    /// The provider's error text for `failed` (Meta `errors[0].title`/`message`).
    public var errorMessage: String?
    /// When the provider says the status happened, when the body says so.
    public var timestamp: Date?

    public init(
        instance: String,
        externalId: String,
        status: MessageStatus,
        errorCode: Int? = nil,
        errorMessage: String? = nil,
        timestamp: Date? = nil
    ) {
        self.instance = instance
        self.externalId = externalId
        self.status = status
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.timestamp = timestamp
    }
}
