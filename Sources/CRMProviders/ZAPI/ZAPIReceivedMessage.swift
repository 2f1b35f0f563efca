/// `ReceivedCallback`: every message on the account (with "notify sent by me", ours too).
/// `phone` is the chat: digits, `<id>-group`, `<id>-broadcast`, or `<lid>@lid` when WhatsApp
/// hides the number; `chatLid`/`senderLid`/`participantLid` carry LIDs.
struct ZAPIReceivedMessage: Decodable {
    let messageId: String?
    /// Required for messages; notifications may lack it.
    let phone: String?
    let fromMe: Bool?
    let isGroup: Bool?
    let isNewsletter: Bool?
    let isEdit: Bool?
    /// WhatsApp has not delivered the content yet ("Waiting for this message").
    let waitingMessage: Bool?
    /// Set on group, profile and label notifications, which are not messages.
    let notification: String?
    let connectedPhone: String?
    let participantPhone: String?
    let participantLid: String?
    let chatLid: String?
    let senderLid: String?
    let senderName: String?
    let momment: ProviderTimestamp?
    let content: ZAPIMessageContent

    private enum CodingKeys: String, CodingKey {
        case messageId, phone, fromMe, isGroup, isNewsletter, isEdit, waitingMessage, notification
        case connectedPhone, participantPhone, participantLid, chatLid, senderLid, senderName, momment
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageId = try container.decodeIfPresent(String.self, forKey: .messageId)
        phone = try container.decodeIfPresent(String.self, forKey: .phone)
        fromMe = try container.decodeIfPresent(Bool.self, forKey: .fromMe)
        isGroup = try container.decodeIfPresent(Bool.self, forKey: .isGroup)
        isNewsletter = try container.decodeIfPresent(Bool.self, forKey: .isNewsletter)
        isEdit = try container.decodeIfPresent(Bool.self, forKey: .isEdit)
        waitingMessage = try container.decodeIfPresent(Bool.self, forKey: .waitingMessage)
        notification = try container.decodeIfPresent(String.self, forKey: .notification)
        connectedPhone = try container.decodeIfPresent(String.self, forKey: .connectedPhone)
        participantPhone = try container.decodeIfPresent(String.self, forKey: .participantPhone)
        participantLid = try container.decodeIfPresent(String.self, forKey: .participantLid)
        chatLid = try container.decodeIfPresent(String.self, forKey: .chatLid)
        senderLid = try container.decodeIfPresent(String.self, forKey: .senderLid)
        senderName = try container.decodeIfPresent(String.self, forKey: .senderName)
        momment = try container.decodeIfPresent(ProviderTimestamp.self, forKey: .momment)
        content = try ZAPIMessageContent(from: decoder)
    }
}
