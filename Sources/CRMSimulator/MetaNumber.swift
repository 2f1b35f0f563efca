import Foundation

/// A WhatsApp Cloud API phone number as the simulator holds it. The number is also a
/// `SimulatedInstance` named by its phone number id (state `open`, token = the access token), so
/// that the shared control surface (`/_simulator/sent`, `/inbound`, faults) works for it too.
struct MetaNumber: Sendable, Hashable {
    /// As WhatsApp Manager shows it: `+55 11 94000-0000`.
    var displayPhoneNumber: String
    var verifiedName: String
    /// Signs every webhook (`X-Hub-Signature-256`).
    var appSecret: String
    /// The token the verification handshake sends (`hub.verify_token`).
    var verifyToken: String
    /// The WhatsApp Business account id: `entry[].id` of every webhook.
    var wabaId: String
    /// The app's callback URL (set in the App Dashboard), once its handshake passed.
    var appWebhookURL: String?
    /// The number's alternate callback URL (`webhook_configuration.override_callback_uri`), once verified.
    var overrideWebhookURL: String?
    /// A test number only sends to its allowed list (Graph error 131030 otherwise); `nil`: a production number.
    var allowedRecipients: Set<String>?
    /// The account's approved templates (a send of any other is refused with 132001).
    var templates: [MetaTemplate] = MetaTemplate.defaults

    /// The approved template with this name in this language.
    func template(_ name: String, language: String) -> MetaTemplate? {
        templates.first { $0.name == name && $0.language == language }
    }

    /// Where webhooks go: the number's override first, then the app's URL (Meta's order).
    var webhookURL: String? { overrideWebhookURL ?? appWebhookURL }

    /// `metadata.display_phone_number` of webhooks: digits only.
    var displayDigits: String { PhoneNumber.digits(displayPhoneNumber) }
}

/// What `POST /_simulator/meta/numbers` (or `EvolutionSimulator.addMetaNumber`) provisions.
package struct MetaNumberConfiguration: Sendable, Hashable {
    package var phoneNumberId: String
    package var displayPhoneNumber: String
    package var accessToken: String
    package var appSecret: String
    /// The app's callback URL; the simulator verifies it (`hub.challenge`) before posting to it.
    package var webhookURL: String?
    package var verifyToken: String?
    package var verifiedName: String
    package var wabaId: String?
    /// Digits a test number may send to; `nil` for a production number (sends anywhere).
    package var allowedRecipients: Set<String>?
    /// The approved templates; `hello_world` (en_US) alone by default, as a new account has.
    package var templates: [MetaTemplate]

    package init(
        phoneNumberId: String, displayPhoneNumber: String, accessToken: String, appSecret: String,
        webhookURL: String? = nil, verifyToken: String? = nil, verifiedName: String = "Simulated Business",
        wabaId: String? = nil, allowedRecipients: Set<String>? = nil, templates: [MetaTemplate] = MetaTemplate.defaults
    ) {
        self.phoneNumberId = phoneNumberId
        self.displayPhoneNumber = displayPhoneNumber
        self.accessToken = accessToken
        self.appSecret = appSecret
        self.webhookURL = webhookURL
        self.verifyToken = verifyToken
        self.verifiedName = verifiedName
        self.wabaId = wabaId
        self.allowedRecipients = allowedRecipients
        self.templates = templates
    }

    /// Reads the control route's body; `nil` without the four required strings.
    init?(_ json: JSONValue) {
        func text(_ key: String) -> String? { json[key]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        guard let id = text("phoneNumberId"), let display = text("displayPhoneNumber"),
              let token = text("accessToken"), let secret = text("appSecret") else { return nil }
        self.init(
            phoneNumberId: id, displayPhoneNumber: display, accessToken: token, appSecret: secret,
            webhookURL: text("webhookURL"), verifyToken: text("verifyToken"),
            verifiedName: text("verifiedName") ?? "Simulated Business", wabaId: text("wabaId"),
            allowedRecipients: json["allowedRecipients"]?.arrayValue.map { Set($0.compactMap { $0.stringValue.map(PhoneNumber.digits) }) },
            templates: json["templates"]?.arrayValue.map { $0.compactMap(MetaTemplate.init) } ?? MetaTemplate.defaults
        )
    }
}

/// The outcome of Meta's verification handshake against a callback URL.
package struct MetaWebhookVerification: Sendable, Hashable {
    /// The receiver answered 200 with the challenge as its body.
    package var passed: Bool
    /// The receiver's HTTP status; `nil` when it could not be reached.
    package var status: Int?
    /// What went wrong, in Meta's words ("HTTP Status Code = 403; HTTP Message = Forbidden"), or "ok".
    package var detail: String

    var json: JSONValue {
        ["passed": .bool(passed), "status": status.map(JSONValue.int) ?? .null, "detail": .string(detail)]
    }
}
