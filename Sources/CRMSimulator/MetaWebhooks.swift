import Crypto
import Foundation

/// WhatsApp Cloud API webhook bodies (shapes of `meta/webhooks/*.json`) and their signature.
enum MetaWebhooks {
    /// `X-Hub-Signature-256`.
    static let signatureHeader = "X-Hub-Signature-256"

    /// `sha256=` + lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the app secret.
    static func signature(of body: Data, appSecret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(appSecret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// The envelope: one entry (the WABA), one change (`field: messages`) whose `value` starts with
    /// `messaging_product` and `metadata`, then `fields` (`contacts` + `messages`, or `statuses`).
    static func notification(phoneNumberId: String, _ number: MetaNumber, _ fields: [(String, JSONValue)]) -> JSONValue {
        let value: [(String, JSONValue)] = [
            ("messaging_product", "whatsapp"),
            ("metadata", ["display_phone_number": .string(number.displayDigits), "phone_number_id": .string(phoneNumberId)]),
        ] + fields
        return [
            "object": "whatsapp_business_account",
            "entry": [["id": .string(number.wabaId), "changes": [["value": .object(value), "field": "messages"]]]],
        ]
    }

    /// One status of one of our sends. `sent` and `delivered` carry the conversation and pricing,
    /// `read` does not; `failed` carries `errors` instead.
    static func status(
        wamid: String, status: String, recipient: String, timestamp: Int, conversationId: String, failure: Failure? = nil
    ) -> [(String, JSONValue)] {
        var item: [(String, JSONValue)] = [
            ("id", .string(wamid)), ("status", .string(status)),
            ("timestamp", .string(String(timestamp))), ("recipient_id", .string(recipient)),
        ]
        if let failure {
            item.append(("errors", [[
                "code": .int(failure.code), "title": .string(failure.title), "message": .string(failure.title),
                "error_data": ["details": .string(failure.details)],
                "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
            ]]))
        } else if status == "sent" || status == "delivered" {
            var conversation: [(String, JSONValue)] = [("id", .string(conversationId))]
            if status == "sent" { conversation.append(("expiration_timestamp", .string(String(timestamp + 86_400)))) }
            conversation.append(("origin", ["type": "service"]))
            item.append(("conversation", .object(conversation)))
            item.append(("pricing", ["billable": true, "pricing_model": "CBP", "category": "service"]))
        }
        return [("statuses", [.object(item)])]
    }

    /// A status `errors[]` entry.
    struct Failure: Sendable {
        var code: Int
        var title: String
        var details: String

        /// What Meta reports for a number that is not on WhatsApp.
        static let undeliverable = Failure(code: 131026, title: "Message undeliverable", details: "Message Undeliverable.")
    }

    /// A contact's text message: `contacts` (profile name, wa_id) then `messages`.
    static func inboundText(id: String, from: String, name: String, text: String, timestamp: Int) -> [(String, JSONValue)] {
        [
            ("contacts", [["profile": ["name": .string(name)], "wa_id": .string(from)]]),
            ("messages", [[
                "from": .string(from), "id": .string(id), "timestamp": .string(String(timestamp)),
                "text": ["body": .string(text)], "type": "text",
            ]]),
        ]
    }
}
