import CRMCore

/// A Cloud API message's content: `type` names the key that holds it (`"type": "image"` →
/// `"image": {…}`).
enum MetaMessageContent: Decodable {
    case content(MessageContent)
    /// Not a message to show: `system` notices (number changed), `request_welcome`, and the
    /// `edit`/`revoke` echoes.
    case control

    private enum CodingKeys: String, CodingKey {
        case type, text, image, video, audio, document, sticker, location, contacts, reaction
        case interactive, button
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        func decode<T: Decodable>(_ type: T.Type, _ key: CodingKeys) throws -> T? {
            try container.decodeIfPresent(T.self, forKey: key)
        }
        switch type {
        case "text":
            // The body is the message: without it there is nothing to store.
            let text = try container.decode(Text.self, forKey: .text)
            self = .content(MessageContent(type: .text, text: text.body))
        case "image", "video", "audio", "document", "sticker":
            let kind = InboundMessageType(rawValue: type) ?? .unsupported
            let key = CodingKeys(rawValue: type) ?? .image
            let media = try decode(Media.self, key)
            self = .content(MessageContent(
                type: kind,
                text: MessageContent.optionalText(media?.caption),
                fileName: kind == .document ? MessageContent.optionalText(media?.filename) : nil
            ))
        case "location":
            let location = try decode(Location.self, .location)
            self = .content(MessageContent(type: .location, latitude: location?.latitude, longitude: location?.longitude))
        case "contacts":
            let name = try decode([Contact].self, .contacts)?.first?.name?.formattedName
            self = .content(MessageContent(type: .contact, text: MessageContent.optionalText(name)))
        case "reaction":
            let reaction = try decode(Reaction.self, .reaction)
            self = .content(MessageContent(
                type: .reaction, text: MessageContent.optionalText(reaction?.emoji), reactionTo: reaction?.messageId
            ))
        case "interactive":
            self = .content(try decode(Interactive.self, .interactive)?.content ?? .unsupported)
        case "button":
            let button = try decode(Button.self, .button)
            self = .content(MessageContent(type: .buttonReply, text: button?.text, selectionId: button?.payload))
        case "system", "request_welcome", "edit", "revoke":
            self = .control
        default:
            // `unsupported`, `unknown`, `order`… still tell the agent the contact wrote.
            self = .content(.unsupported)
        }
    }

    private struct Text: Decodable {
        let body: String
    }

    private struct Media: Decodable {
        let caption: String?
        let filename: String?
    }

    private struct Location: Decodable {
        let latitude: Double?
        let longitude: Double?
    }

    private struct Contact: Decodable {
        struct Name: Decodable {
            let formattedName: String?

            private enum CodingKeys: String, CodingKey {
                case formattedName = "formatted_name"
            }
        }

        let name: Name?
    }

    private struct Reaction: Decodable {
        let messageId: String?
        let emoji: String?

        private enum CodingKeys: String, CodingKey {
            case messageId = "message_id"
            case emoji
        }
    }

    /// `interactive.button_reply` (reply buttons) or `interactive.list_reply` (list rows).
    private struct Interactive: Decodable {
        struct Reply: Decodable {
            let id: String?
            let title: String?
        }

        let buttonReply: Reply?
        let listReply: Reply?

        private enum CodingKeys: String, CodingKey {
            case buttonReply = "button_reply"
            case listReply = "list_reply"
        }

        var content: MessageContent? {
            if let reply = buttonReply {
                return MessageContent(type: .buttonReply, text: reply.title, selectionId: reply.id)
            }
            if let reply = listReply {
                return MessageContent(type: .listReply, text: reply.title, selectionId: reply.id)
            }
            return nil
        }
    }

    /// A quick-reply button of a template: `{payload, text}`.
    private struct Button: Decodable {
        let payload: String?
        let text: String?
    }
}
