import Foundation

/// A provider's receipt for a message the account sent (`WebhookEvent.statusChanged`). The
/// listener applies it forward only (see `MessageStatus.canAdvance(to:)`).
package struct MessageStatusChange: Sendable, Hashable, Codable {
    /// Evolution `instance`, Meta `phone_number_id` or Z-API `instanceId`.
    package var instance: String
    /// The provider's message id, as returned by the send call (Evolution `keyId`, Meta
    /// `wamid.…`, Z-API `messageId`).
    package var externalId: String
    package var status: MessageStatus
    /// The provider's error code for `failed`, when it gives one (Meta `errors[0].code`).
    package var errorCode: Int?
    /// The provider's error text for `failed` (Meta `errors[0].title`/`message`).
    package var errorMessage: String?
    /// When the provider says the status happened, when the body says so.
    package var timestamp: Date?

    package init(
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
