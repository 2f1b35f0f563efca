/// A Z-API callback: a flat object whose `type` says what it is (`ReceivedCallback`,
/// `MessageStatusCallback`, `DeliveryCallback`, `ConnectedCallback`, `DisconnectedCallback`,
/// `PresenceChatCallback`…). Each kind is decoded from the same object in one pass.
struct ZAPICallback: Decodable {
    enum Payload {
        case received(ZAPIReceivedMessage)
        case messageStatus(ZAPIMessageStatus)
        /// Z-API accepted our send and handed it to WhatsApp.
        case delivery(messageId: String)
        case connected(phone: String?)
        case disconnected
        /// Presence, and any callback type the CRM does not apply.
        case ignored
    }

    /// Optional here because ignored callbacks do not need it.
    let instanceId: String?
    let payload: Payload

    private enum CodingKeys: String, CodingKey {
        case type, instanceId, messageId, phone
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        instanceId = try container.decodeIfPresent(String.self, forKey: .instanceId)
        // The docs spell the type both "ReceivedCallback" and "ReceivedCallBack".
        switch type.lowercased() {
        case "receivedcallback":
            payload = .received(try ZAPIReceivedMessage(from: decoder))
        case "messagestatuscallback":
            payload = .messageStatus(try ZAPIMessageStatus(from: decoder))
        case "deliverycallback":
            payload = .delivery(messageId: try container.decode(String.self, forKey: .messageId))
        case "connectedcallback":
            payload = .connected(phone: try container.decodeIfPresent(String.self, forKey: .phone))
        case "disconnectedcallback":
            payload = .disconnected
        default:
            payload = .ignored
        }
    }
}
