import CRMCore

/// The `message` object of an Evolution upsert: WhatsApp's protobuf `Message` in JSON, one key
/// per content kind (`conversation`, `imageMessage`…), possibly wrapped (`ephemeralMessage`,
/// `viewOnceMessage…`, `documentWithCaptionMessage`), next to metadata keys.
enum EvolutionMessageContent: Decodable {
    /// A new message to show.
    case content(MessageContent)
    /// Not a new message: a revoke, an edit, a poll vote, a pin, or metadata alone.
    case control

    /// Keys that change an existing message or carry no content: ignored, like Evolution
    /// itself skips `protocolMessage`/`editedMessage`/`pollUpdateMessage` upserts.
    static let controlKeys: Set<String> = [
        "protocolMessage", "editedMessage", "pollUpdateMessage", "keepInChatMessage",
        "pinInChatMessage", "encReactionMessage", "encEventResponseMessage",
    ]

    /// Keys that only wrap another `message`.
    static let wrapperKeys = [
        "ephemeralMessage", "viewOnceMessage", "viewOnceMessageV2", "viewOnceMessageV2Extension",
        "documentWithCaptionMessage",
    ]

    /// Keys that travel next to the content and are not content themselves.
    private static let metadataKeys: Set<String> = [
        "messageContextInfo", "senderKeyDistributionMessage", "base64", "mediaUrl",
    ]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: PathKey.self)
        let presentKeys = try container.allKeys.filter { try !container.decodeNil(forKey: $0) }
        if presentKeys.contains(where: { Self.controlKeys.contains($0.stringValue) }) {
            self = .control
            return
        }
        for name in Self.wrapperKeys where presentKeys.contains(where: { $0.stringValue == name }) {
            let wrapper = try container.decode(Wrapper.self, forKey: PathKey(name))
            self = wrapper.message ?? .content(.unsupported)
            return
        }
        if let content = try Self.decodeContent(from: container) {
            self = .content(content)
        } else if presentKeys.allSatisfy({ Self.metadataKeys.contains($0.stringValue) }) {
            self = .control
        } else {
            self = .content(.unsupported)
        }
    }

    private struct Wrapper: Decodable {
        let message: EvolutionMessageContent?
    }

    /// The first content kind present, in the order WhatsApp clients give precedence to.
    private static func decodeContent(from container: KeyedDecodingContainer<PathKey>) throws -> MessageContent? {
        func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T? {
            try container.decodeIfPresent(T.self, forKey: PathKey(name))
        }
        if let text = try decode(String.self, "conversation") {
            return MessageContent(type: .text, text: text)
        }
        if let extended = try decode(ExtendedText.self, "extendedTextMessage"), let text = extended.text {
            return MessageContent(type: .text, text: text)
        }
        let mediaKinds: [(String, InboundMessageType)] = [
            ("imageMessage", .image), ("videoMessage", .video), ("ptvMessage", .video),
            ("audioMessage", .audio), ("documentMessage", .document), ("stickerMessage", .sticker),
        ]
        for (name, type) in mediaKinds {
            if let media = try decode(Media.self, name) {
                return MessageContent(
                    type: type,
                    text: MessageContent.optionalText(media.caption),
                    fileName: type == .document ? MessageContent.optionalText(media.fileName ?? media.title) : nil
                )
            }
        }
        for name in ["locationMessage", "liveLocationMessage"] {
            if let location = try decode(Location.self, name) {
                return MessageContent(
                    type: .location, latitude: location.degreesLatitude, longitude: location.degreesLongitude
                )
            }
        }
        for name in ["contactMessage", "contactsArrayMessage"] {
            if let contact = try decode(Contact.self, name) {
                return MessageContent(type: .contact, text: MessageContent.optionalText(contact.displayName))
            }
        }
        if let reaction = try decode(Reaction.self, "reactionMessage") {
            return MessageContent(
                type: .reaction, text: MessageContent.optionalText(reaction.text), reactionTo: reaction.key?.id
            )
        }
        if let reply = try decode(ButtonsResponse.self, "buttonsResponseMessage") {
            return MessageContent(type: .buttonReply, text: reply.selectedDisplayText, selectionId: reply.selectedButtonId)
        }
        if let reply = try decode(TemplateButtonReply.self, "templateButtonReplyMessage") {
            return MessageContent(type: .buttonReply, text: reply.selectedDisplayText, selectionId: reply.selectedId)
        }
        if let reply = try decode(ListResponse.self, "listResponseMessage") {
            return MessageContent(type: .listReply, text: reply.title, selectionId: reply.singleSelectReply?.selectedRowId)
        }
        return nil
    }

    private struct ExtendedText: Decodable {
        let text: String?
    }

    private struct Media: Decodable {
        let caption: String?
        let fileName: String?
        let title: String?
    }

    private struct Location: Decodable {
        let degreesLatitude: Double?
        let degreesLongitude: Double?
    }

    private struct Contact: Decodable {
        let displayName: String?
    }

    private struct Reaction: Decodable {
        struct Key: Decodable {
            let id: String?
        }

        let key: Key?
        let text: String?
    }

    private struct ButtonsResponse: Decodable {
        let selectedButtonId: String?
        let selectedDisplayText: String?
    }

    private struct TemplateButtonReply: Decodable {
        let selectedId: String?
        let selectedDisplayText: String?
    }

    private struct ListResponse: Decodable {
        struct SingleSelectReply: Decodable {
            let selectedRowId: String?
        }

        let title: String?
        let singleSelectReply: SingleSelectReply?
    }
}
