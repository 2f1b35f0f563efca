import Foundation

/// Where and how an instance posts its webhooks (`webhook` in create and `/webhook/set`).
struct WebhookConfig: Sendable, Hashable {
    var id = WireIdentifiers.cuid()
    var url: String
    var enabled: Bool
    /// Post to `<url>/<event-with-dashes>` instead of `<url>`.
    var byEvents: Bool
    var base64: Bool
    /// UPPER_SNAKE event names; empty means every event.
    var events: [String]
    /// Extra headers sent with every post.
    var headers: [String: String]
    var createdAt = Date()
    var updatedAt = Date()

    /// Reads the v2.1.1+ `webhook` object; `nil` without a URL.
    init?(_ json: JSONValue?) {
        guard let json, let url = json["url"]?.stringValue, !url.isEmpty else { return nil }
        self.url = url
        self.enabled = json["enabled"]?.boolValue ?? true
        self.byEvents = json["byEvents"]?.boolValue ?? false
        self.base64 = json["base64"]?.boolValue ?? false
        self.events = json["events"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var headers: [String: String] = [:]
        if case .object(let pairs)? = json["headers"] {
            for (name, value) in pairs { if let value = value.stringValue { headers[name] = value } }
        }
        self.headers = headers
    }

    /// Whether this event (`messages.upsert`) is subscribed (`MESSAGES_UPSERT`).
    func wants(_ event: String) -> Bool {
        enabled && (events.isEmpty || events.contains(event.uppercased().replacingOccurrences(of: ".", with: "_")))
    }

    /// The URL one event goes to.
    func target(for event: String) -> String {
        guard byEvents else { return url }
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        return base + "/" + event.replacingOccurrences(of: ".", with: "-")
    }
}

/// Evolution's connection states, as `connectionState` and `connection.update` write them.
package enum InstanceState: String, Sendable, Hashable {
    case close, connecting, open
}

/// One simulated WhatsApp number.
struct SimulatedInstance: Sendable {
    let name: String
    let id = WireIdentifiers.instanceId()
    let token: String
    let integration: String
    var webhook: WebhookConfig?
    var state: InstanceState = .connecting
    var qrCode = WireIdentifiers.qrCode()
    /// QRs generated in this pairing attempt, as `count` reports it.
    var qrCount = 1
    /// Digits of the paired number, once scanned.
    var ownerPhone: String?
    var profileName: String?
    /// Set after the first `open`: Evolution's envelope `sender`.
    var senderJid: String? { ownerPhone.map(PhoneNumber.jid) }
    let createdAt = Date()
    var updatedAt = Date()
    var sentCount = 0
    /// Set for a Z-API instance (named by its instance id): its client token and webhooks.
    var zapi: ZAPIInstanceSettings?
    /// Set for a WhatsApp Cloud API number (named by its phone number id); `nil` for Evolution.
    var meta: MetaNumber?

    init(name: String, token: String?, integration: String, webhook: WebhookConfig?) {
        self.name = name
        self.token = token ?? WireIdentifiers.instanceToken()
        self.integration = integration
        self.webhook = webhook
    }

    /// Starts a new QR: new code, `count` + 1.
    mutating func rotate() {
        qrCode = WireIdentifiers.qrCode()
        qrCount += 1
        updatedAt = Date()
    }
}

/// A send the simulator accepted (`GET /_simulator/sent`).
package struct SentMessage: Sendable, Hashable {
    package var instance: String
    /// Digits of the recipient.
    package var to: String
    package var text: String
    /// The `key.id` returned to the caller.
    package var externalId: String
    package var at: Date
    /// `name/language` of a Meta template send (`text` then holds its body as rendered); `nil` otherwise.
    package var template: String? = nil

    var json: JSONValue {
        ["instance": .string(instance), "to": .string(to), "text": .string(text),
         "externalId": .string(externalId), "at": .string(WireClock.isoString(at)), "template": .optional(template)]
    }
}
