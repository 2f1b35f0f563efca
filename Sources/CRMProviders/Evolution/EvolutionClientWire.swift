import Foundation

/// Evolution API v2's REST bodies, as `EvolutionClient` writes and reads them: only the fields
/// it needs (see `Tests/Fixtures/providers/evolution/api/`).
enum EvolutionClientWire {
    /// The events the CRM handles; Evolution posts nothing else to the webhook.
    static let webhookEvents = [
        "QRCODE_UPDATED", "CONNECTION_UPDATE", "MESSAGES_UPSERT", "MESSAGES_UPDATE", "SEND_MESSAGE", "LOGOUT_INSTANCE",
    ]

    /// `webhook` of `POST /instance/create` and `POST /webhook/set/{instance}` (v2.1.1+ shape).
    struct Webhook: Encodable {
        var url: String
        var enabled = true
        var byEvents = false
        var base64 = false
        var events = EvolutionClientWire.webhookEvents
    }

    struct CreateRequest: Encodable {
        var instanceName: String
        var integration = "WHATSAPP-BAILEYS"
        var qrcode = true
        var webhook: Webhook
    }

    struct SetWebhookRequest: Encodable {
        var webhook: Webhook
    }

    struct SendTextRequest: Encodable {
        var number: String
        var text: String
    }

    struct InstanceState: Decodable {
        var instanceName: String?
        /// `state` in connect/connectionState replies, `status` in the create reply.
        var state: String?
        var status: String?
    }

    /// `qrcode` in the create reply; the whole body of `GET /instance/connect` while waiting for a scan.
    struct QRCode: Decodable {
        var code: String?
        var pairingCode: String?
    }

    struct CreateResponse: Decodable {
        var instance: InstanceState?
        var qrcode: QRCode?
    }

    /// `GET /instance/connect`: a QR (`code`, `pairingCode`, `base64`, `count`) or, once paired, `{instance: {state: "open"}}`.
    struct ConnectResponse: Decodable {
        var code: String?
        var pairingCode: String?
        var instance: InstanceState?
    }

    struct ConnectionStateResponse: Decodable {
        var instance: InstanceState
    }

    /// One element of `GET /instance/fetchInstances?instanceName=…`.
    struct FetchedInstance: Decodable {
        var name: String?
        var connectionStatus: String?
        /// `5511999990001@s.whatsapp.net` once paired.
        var ownerJid: String?
    }

    struct SendTextResponse: Decodable {
        struct Key: Decodable { var id: String }
        var key: Key
    }

    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Encoding these plain structs of strings and booleans cannot fail.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }
}

/// Evolution's error body, `{"status":N,"error":"<reason>","response":{"message":X}}`, where `X` is a
/// string, an array of strings, an array of arrays (schema validation) or an array of objects (the
/// `exists: false` number check). Read loosely: a version that changes the shape still yields its text.
struct EvolutionErrorBody: Sendable, Equatable {
    /// Every text found in `message`, in order.
    var messages: [String] = []
    /// `number` (or the digits of `jid`) of each `exists: false` entry.
    var numbersNotOnWhatsApp: [String] = []

    init(messages: [String] = [], numbersNotOnWhatsApp: [String] = []) {
        self.messages = messages
        self.numbersNotOnWhatsApp = numbersNotOnWhatsApp
    }

    /// `nil` when `data` is not a JSON object.
    init?(_ data: Data) {
        guard let root = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any] else {
            return nil
        }
        let message = (root["response"] as? [String: Any])?["message"] ?? root["message"]
        if let message { collect(message) }
        if messages.isEmpty, numbersNotOnWhatsApp.isEmpty, let error = root["error"] as? String { messages.append(error) }
    }

    private mutating func collect(_ value: Any) {
        switch value {
        case let text as String:
            messages.append(text)
        case let array as [Any]:
            for element in array { collect(element) }
        case let object as [String: Any]:
            if let exists = object["exists"] as? Bool, !exists {
                let number = (object["number"] as? String) ?? (object["jid"] as? String).map { String($0.prefix { $0 != "@" }) }
                numbersNotOnWhatsApp.append(number ?? "")
            } else if let text = object["message"] as? String {
                messages.append(text)
            }
        default:
            break
        }
    }
}
