import CRMCore

/// The content of a `ReceivedCallback`: one top-level key per kind (`text`, `image`, `audio`,
/// `document`, `location`, `contact`, `reaction`, `buttonsResponseMessage`…).
enum ZAPIMessageContent: Decodable {
    case content(MessageContent)
    /// Not a new message: a poll vote, a pin, an event RSVP.
    case control

    private enum CodingKeys: String, CodingKey {
        case text, image, video, audio, document, sticker, location, contact, reaction
        case buttonsResponseMessage, listResponseMessage, hydratedTemplate, buttonsMessage
        case pollVote, pinMessage, eventResponse
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func decode<T: Decodable>(_ type: T.Type, _ key: CodingKeys) throws -> T? {
            try container.decodeIfPresent(T.self, forKey: key)
        }
        let controlKeys: [CodingKeys] = [.pollVote, .pinMessage, .eventResponse]
        if try controlKeys.contains(where: { try container.contains($0) && !container.decodeNil(forKey: $0) }) {
            self = .control
        } else if let text = try decode(Body.self, .text), let message = text.message {
            self = .content(MessageContent(type: .text, text: message))
        } else if let content = try Self.media(container) {
            self = .content(content)
        } else if let location = try decode(Location.self, .location) {
            self = .content(MessageContent(type: .location, latitude: location.latitude, longitude: location.longitude))
        } else if let contact = try decode(Contact.self, .contact) {
            self = .content(MessageContent(type: .contact, text: MessageContent.optionalText(contact.displayName)))
        } else if let reaction = try decode(Reaction.self, .reaction) {
            self = .content(MessageContent(
                type: .reaction,
                text: MessageContent.optionalText(reaction.value),
                reactionTo: reaction.referencedMessage?.messageId
            ))
        } else if let reply = try decode(ButtonsResponse.self, .buttonsResponseMessage) {
            self = .content(MessageContent(type: .buttonReply, text: reply.message, selectionId: reply.buttonId))
        } else if let reply = try decode(ListResponse.self, .listResponseMessage) {
            self = .content(MessageContent(type: .listReply, text: reply.title, selectionId: reply.selectedRowId))
        } else if let template = try decode(Body.self, .hydratedTemplate) ?? decode(Body.self, .buttonsMessage) {
            // Template and button messages a business sent to the account: their body is text.
            self = .content(MessageContent(type: .text, text: template.message))
        } else {
            self = .content(.unsupported)
        }
    }

    private static func media(_ container: KeyedDecodingContainer<CodingKeys>) throws -> MessageContent? {
        let kinds: [(CodingKeys, InboundMessageType)] = [
            (.image, .image), (.video, .video), (.audio, .audio), (.document, .document), (.sticker, .sticker),
        ]
        for (key, type) in kinds {
            guard let media = try container.decodeIfPresent(Media.self, forKey: key) else { continue }
            return MessageContent(
                type: type,
                text: MessageContent.optionalText(media.caption),
                fileName: type == .document ? MessageContent.optionalText(media.fileName ?? media.title) : nil
            )
        }
        return nil
    }

    private struct Body: Decodable {
        let message: String?
    }

    private struct Media: Decodable {
        let caption: String?
        let fileName: String?
        let title: String?
    }

    private struct Location: Decodable {
        let latitude: Double?
        let longitude: Double?
    }

    private struct Contact: Decodable {
        let displayName: String?
    }

    private struct Reaction: Decodable {
        struct Reference: Decodable {
            let messageId: String?
        }

        let value: String?
        let referencedMessage: Reference?
    }

    private struct ButtonsResponse: Decodable {
        let buttonId: String?
        let message: String?
    }

    private struct ListResponse: Decodable {
        let title: String?
        let selectedRowId: String?
    }
}
