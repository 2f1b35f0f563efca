import Foundation

/// One request for the listener: `POST <base>/webhooks/whatsapp/<provider>/<secret>[pathSuffix]`.
package struct WebhookTriggerRequest: Sendable {
    /// Appended to the webhook URL; `nil` (Evolution's "webhook by events" form is not used).
    package var pathSuffix: String?
    /// In order; `Content-Type` always, `X-Hub-Signature-256` for Meta.
    package var headers: [(String, String)]
    /// Compact JSON, exactly the bytes that were signed.
    package var body: Data
    /// The message id the body carries (to print, and to pass to a later receipt trigger);
    /// `nil` for connection and QR events.
    package var externalId: String?
}
