import Foundation

/// Z-API's REST bodies, as `ZAPIClient` writes and reads them: only the fields it needs (see
/// `Tests/Fixtures/providers/zapi/api/`).
enum ZAPIClientWire {
    /// The callbacks the CRM applies, each configured on its own endpoint (`PUT …/update-webhook-*`
    /// `{"value": url}`). `received-delivery` is "on receive, sent by me too": the received webhook
    /// with notifySentByMe on, so that messages sent from the phone (and echoes of ours) reach the
    /// conversation. Presence (`chat-presence`) is left alone: the CRM ignores typing indicators.
    static let webhookEndpoints: [(kind: String, path: String)] = [
        ("received", "/update-webhook-received-delivery"),
        ("delivery", "/update-webhook-delivery"),
        ("message-status", "/update-webhook-message-status"),
        ("connected", "/update-webhook-connected"),
        ("disconnected", "/update-webhook-disconnected"),
    ]

    /// `{"value": "https://…"}` for every `update-webhook-*`.
    struct WebhookRequest: Encodable {
        var value: String
    }

    /// `{"value": true}`: the answer of the webhook updates and of `/disconnect`.
    struct ValueResponse: Decodable {
        var value: Bool?
    }

    /// `GET /status`: `{"connected", "error", "smartphoneConnected"}`; `error` is "You are already
    /// connected.", "You are not connected." or "You need to restore the session.".
    struct StatusResponse: Decodable {
        var connected: Bool
        var error: String?
        var smartphoneConnected: Bool?
    }

    /// `GET /qr-code`: `{"value": "2@…"}` while waiting for a scan; once connected Z-API refuses to
    /// hand out a code (documented as 409; `{"connected": true}` is accepted too).
    struct QRCodeResponse: Decodable {
        var value: String?
        var connected: Bool?
    }

    /// `GET /device`: the paired phone (`phone`, digits), its owner's name and the device.
    struct DeviceResponse: Decodable {
        var phone: String?
        var name: String?
    }

    struct SendTextRequest: Encodable {
        var phone: String
        var message: String
    }

    /// `POST /send-text`: `messageId` (= `id`) is the WhatsApp id the status callbacks' `ids`
    /// carry; `zaapId` is Z-API's own.
    struct SendTextResponse: Decodable {
        var zaapId: String?
        var messageId: String?
        var id: String?
    }

    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }
}

/// Z-API's error body: `{"error": "…"}` (e.g. `"null not allowed"` without the Client-Token),
/// sometimes with `message`. Read loosely.
struct ZAPIErrorBody: Sendable, Equatable {
    var texts: [String]

    /// `nil` when `data` is not a JSON object.
    init?(_ data: Data) {
        guard let root = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any] else {
            return nil
        }
        texts = ["error", "message"].compactMap { root[$0] as? String }.filter { !$0.isEmpty }
    }

    func contains(_ fragment: String) -> Bool {
        texts.contains { $0.localizedCaseInsensitiveContains(fragment) }
    }

    /// Z-API's answer to a missing or wrong `Client-Token`: "null not allowed" / "<token> not allowed".
    var isClientTokenRefusal: Bool { contains("not allowed") }
}
