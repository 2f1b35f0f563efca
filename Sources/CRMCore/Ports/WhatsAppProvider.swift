/// What the use cases ask of a WhatsApp gateway (Evolution, Z-API, Meta), in provider-neutral
/// terms: one number ("instance") per unit, paired by QR where the provider has one.
///
/// Adapters throw `ProviderError` (never their HTTP client's errors): its `error` is the one-line
/// `CRMError` for the user, and `isRetryable` tells a caller (the send queue) whether trying again
/// later can help. Idempotent calls are already retried inside the adapter; `sendText` is not.
package protocol WhatsAppProvider: Sendable {
    var kind: ProviderKind { get }

    /// Creates the instance with its webhook, or reuses it when the name is taken (then sets the
    /// webhook again, so a changed URL or secret takes effect). Safe to call twice.
    func ensureInstance(named name: String, webhookURL: String) async throws -> ProviderInstanceState

    /// The code to show the operator; `nil` when the instance is already connected.
    func requestQRCode(instance: String) async throws -> QRCodeUpdate?

    func connectionState(instance: String) async throws -> ConnectionState

    /// The digits of the paired number (country code first) when the instance is connected and
    /// the provider tells it; `nil` otherwise. For "connected as +55 11 9****-4321".
    func connectedPhone(instance: String) async throws -> String?

    /// Ends the WhatsApp session; succeeds when it is already closed.
    func logout(instance: String) async throws

    /// Removes the instance from the provider; succeeds when it does not exist.
    func deleteInstance(_ instance: String) async throws

    /// Sends a text to `to` (digits, country code first); returns the provider's message id, the
    /// one its status webhooks carry. Never retried by the adapter: a timeout may have sent it.
    func sendText(instance: String, to: String, text: String) async throws -> String

    /// Sends an approved template (Meta's Cloud API; allowed outside the 24-hour window); returns
    /// the provider's message id. Providers without templates throw `.unsupported` before any
    /// call. Never retried by the adapter, like `sendText`.
    func sendTemplate(instance: String, to: String, template: MessageTemplate) async throws -> String
}

extension WhatsAppProvider {
    /// The one provider call that sends a stored outbound message: its template when it has one,
    /// else its text. Shared by `crm send` and the queue's workers.
    package func deliver(_ message: Message, to phone: String, instance: String) async throws -> String {
        if let template = message.template {
            return try await sendTemplate(instance: instance, to: phone, template: template)
        }
        return try await sendText(instance: instance, to: phone, text: message.body ?? "")
    }
}

/// What `ensureInstance` found or made.
package struct ProviderInstanceState: Sendable, Hashable {
    package var instance: String
    /// `false` when the instance already existed and was reused.
    package var created: Bool
    package var state: ConnectionState
    /// The first QR code, when the provider returned one with the creation.
    package var qrCode: QRCodeUpdate?

    package init(instance: String, created: Bool, state: ConnectionState, qrCode: QRCodeUpdate? = nil) {
        self.instance = instance
        self.created = created
        self.state = state
        self.qrCode = qrCode
    }
}

/// A provider call that failed: the user-facing `CRMError` plus what a caller needs to decide on a retry.
package struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Reason: String, Sendable, Hashable, CaseIterable {
        /// 401: the API key or token was refused.
        case unauthorized
        /// 403 (other than a name in use).
        case forbidden
        /// 404: the instance does not exist.
        case instanceNotFound
        /// 404 for the route itself: wrong base URL or an incompatible version.
        case routeNotFound
        /// The recipient is not a WhatsApp number.
        case invalidRecipient
        /// The instance is not connected to WhatsApp.
        case notConnected
        /// Another 4xx: the provider refused the request as it is.
        case rejected
        /// 5xx or 429.
        case serverError
        /// A body that is not the expected JSON (an HTML error page from a proxy, garbage).
        case invalidResponse
        /// The provider has no such feature (templates outside Meta): no call was made.
        case unsupported
        /// No answer within the timeout.
        case timeout
        /// The connection could not be made (refused, DNS, reset).
        case unreachable
    }

    package let provider: ProviderKind
    package let reason: Reason
    /// The HTTP status, when there was a response.
    package let status: Int?
    /// The one-line message for the user (never a token or a full phone number).
    package let error: CRMError

    package init(provider: ProviderKind, reason: Reason, status: Int? = nil, error: CRMError) {
        self.provider = provider
        self.reason = reason
        self.status = status
        self.error = error
    }

    /// Whether the same request may succeed later: timeouts, unreachable, 5xx/429 and garbage
    /// bodies. 401/403, unknown instances and refused numbers never will.
    package var isRetryable: Bool {
        switch reason {
        case .serverError, .invalidResponse, .timeout, .unreachable: true
        case .unauthorized, .forbidden, .instanceNotFound, .routeNotFound, .invalidRecipient, .notConnected, .rejected,
             .unsupported: false
        }
    }

    package var message: String { error.message }
    package var description: String { error.message }
}
