import Foundation

/// The Graph API bodies `MetaClient` writes and reads: only the fields it needs
/// (see `Tests/Fixtures/providers/meta/api/`).
enum MetaClientWire {
    /// What `GET /{version}/{phone-number-id}` asks for to validate the credentials.
    static let phoneNumberFields = "display_phone_number,verified_name,quality_rating,code_verification_status,platform_type"

    /// `GET /{version}/{phone-number-id}?fields=…`.
    struct PhoneNumber: Decodable {
        var id: String?
        /// As WhatsApp Manager shows it: `+55 11 94000-0000`.
        var displayPhoneNumber: String?
        var verifiedName: String?
        var qualityRating: String?

        enum CodingKeys: String, CodingKey {
            case id
            case displayPhoneNumber = "display_phone_number"
            case verifiedName = "verified_name"
            case qualityRating = "quality_rating"
        }
    }

    /// `POST /{version}/{phone-number-id}` setting the number's alternate callback URL.
    struct WebhookOverrideRequest: Encodable {
        struct Configuration: Encodable {
            var overrideCallbackURI: String
            var verifyToken: String

            enum CodingKeys: String, CodingKey {
                case overrideCallbackURI = "override_callback_uri"
                case verifyToken = "verify_token"
            }
        }

        var webhookConfiguration: Configuration

        enum CodingKeys: String, CodingKey { case webhookConfiguration = "webhook_configuration" }
    }

    /// `{"success": true}`.
    struct SuccessResponse: Decodable {
        var success: Bool?
    }

    /// `POST /{version}/{phone-number-id}/messages`, `type: text`.
    struct TextMessageRequest: Encodable {
        struct Text: Encodable {
            var previewURL = false
            var body: String

            enum CodingKeys: String, CodingKey {
                case previewURL = "preview_url"
                case body
            }
        }

        var messagingProduct = "whatsapp"
        var recipientType = "individual"
        var to: String
        var type = "text"
        var text: Text

        enum CodingKeys: String, CodingKey {
            case messagingProduct = "messaging_product"
            case recipientType = "recipient_type"
            case to, type, text
        }
    }

    /// `POST /{version}/{phone-number-id}/messages`, `type: template`, body parameters as text.
    struct TemplateMessageRequest: Encodable {
        struct Template: Encodable {
            struct Language: Encodable { var code: String }
            struct Component: Encodable {
                var type = "body"
                var parameters: [Parameter]
            }
            struct Parameter: Encodable {
                var type = "text"
                var text: String
            }

            var name: String
            var language: Language
            /// Absent for a template without variables.
            var components: [Component]?
        }

        var messagingProduct = "whatsapp"
        var recipientType = "individual"
        var to: String
        var type = "template"
        var template: Template

        enum CodingKeys: String, CodingKey {
            case messagingProduct = "messaging_product"
            case recipientType = "recipient_type"
            case to, type, template
        }
    }

    /// The answer to a send: `messages[0].id` is the wamid the status webhooks carry.
    struct SendResponse: Decodable {
        struct Message: Decodable { var id: String }
        var messages: [Message]?
    }

    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Plain structs of strings and booleans: encoding cannot fail.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }
}

/// Graph's error body, `{"error":{"message","type","code","error_subcode","error_data","fbtrace_id"}}`.
/// `message` may echo the request (ids, numbers), so it is used to classify, never shown.
struct GraphErrorBody: Sendable, Equatable {
    var code: Int?
    var subcode: Int?
    var type: String?
    var isTransient: Bool?
    var fbtraceId: String?
    /// For classification only (never quoted to the user).
    var rawMessage: String?

    /// `nil` when `data` is not a JSON object with an `error` object.
    init?(_ data: Data) {
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let error = root["error"] as? [String: Any] else { return nil }
        code = Self.int(error["code"])
        subcode = Self.int(error["error_subcode"])
        type = error["type"] as? String
        isTransient = error["is_transient"] as? Bool
        fbtraceId = error["fbtrace_id"] as? String
        rawMessage = error["message"] as? String
    }

    /// Code 100 for an object that does not exist or that the token may not see (subcode 33,
    /// "Unsupported get/post request. Object with ID '…' does not exist"), as opposed to a bad parameter.
    var isUnknownObject: Bool {
        guard code == 100 else { return false }
        if subcode == 33 { return true }
        let text = rawMessage?.lowercased() ?? ""
        return text.contains("does not exist") || text.contains("unsupported get request") || text.contains("unsupported post request")
    }

    private static func int(_ value: Any?) -> Int? {
        switch value {
        case let number as Int: number
        case let text as String: Int(text)
        default: nil
        }
    }
}
