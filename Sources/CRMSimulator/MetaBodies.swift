import Foundation

/// Graph API response bodies (shapes of `meta/api/*.response.json`).
enum MetaBodies {
    /// The fields `GET /{phone-number-id}` returns without `fields`, in Graph's order.
    static let defaultFields = ["verified_name", "code_verification_status", "display_phone_number", "quality_rating", "platform_type", "throughput"]

    /// Every field the simulator knows, in Graph's order.
    static func allFields(_ number: MetaNumber) -> [(String, JSONValue)] {
        var webhooks: [(String, JSONValue)] = []
        if let override = number.overrideWebhookURL { webhooks.append(("phone_number", .string(override))) }
        if let app = number.appWebhookURL { webhooks.append(("application", .string(app))) }
        return [
            ("verified_name", .string(number.verifiedName)),
            ("code_verification_status", "VERIFIED"),
            ("display_phone_number", .string(number.displayPhoneNumber)),
            ("quality_rating", "GREEN"),
            ("platform_type", "CLOUD_API"),
            ("throughput", ["level": "STANDARD"]),
            ("webhook_configuration", .object(webhooks)),
        ]
    }

    /// The number with the requested fields (Graph's default set when `fields` is absent) and its
    /// `id`; `.failure(field)` names the first field the node does not have.
    static func phoneNumber(id: String, _ number: MetaNumber, fields: String?) -> Result<JSONValue, UnknownField> {
        let known = allFields(number)
        let requested = fields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            ?? defaultFields
        if let unknown = requested.first(where: { name in name != "id" && !known.contains { $0.0 == name } }) {
            return .failure(UnknownField(name: unknown))
        }
        return .success(.object(known.filter { requested.contains($0.0) } + [("id", .string(id))]))
    }

    struct UnknownField: Error { var name: String }

    /// The answer to an accepted send.
    static func sent(input: String, waId: String, wamid: String) -> JSONValue {
        [
            "messaging_product": "whatsapp",
            "contacts": [["input": .string(input), "wa_id": .string(waId)]],
            "messages": [["id": .string(wamid)]],
        ]
    }

    static let success: JSONValue = ["success": true]
}
