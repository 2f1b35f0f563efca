import CRMCore
import Foundation

/// Evolution's webhook body: `{event, instance, data, sender, …}`. The shape of `data` depends
/// on `event`, so it is decoded here in one pass, after reading the event name (from the body,
/// or from the URL for "webhook by events" when the body lacks it).
struct EvolutionEnvelope: Decodable {
    /// What `data` turned out to be.
    enum Payload {
        case qrCode(EvolutionQRCodeData)
        case connection(EvolutionConnectionData)
        case instanceStatus(EvolutionInstanceStatusData)
        case logout
        /// `messages.upsert` and `send.message` (the echo of our own send).
        case messages([EvolutionMessageData])
        case receipts([EvolutionReceiptData])
        case ignored
    }

    /// The instance name; optional here because ignored events do not need it.
    let instance: String?
    /// The connected number's JID (absent until the first `open` after a server start).
    let sender: String?
    let payload: Payload

    /// `JSONDecoder.userInfo` key for the event name taken from the request path. (The
    /// initializer accepts every string; it is only failable by protocol.)
    static let pathEventKey = CodingUserInfoKey(rawValue: "crm.evolution.pathEvent")!

    /// An envelope read without the decoder (`EvolutionTextMessageReader`).
    init(instance: String?, sender: String?, payload: Payload) {
        self.instance = instance
        self.sender = sender
        self.payload = payload
    }

    private enum CodingKeys: String, CodingKey {
        case event, instance, sender, data
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let bodyEvent = try container.decodeIfPresent(String.self, forKey: .event)
        let pathEvent = (decoder.userInfo[Self.pathEventKey] as? String).flatMap { $0.isEmpty ? nil : $0 }
        guard let eventName = bodyEvent ?? pathEvent else {
            throw DecodingError.keyNotFound(
                CodingKeys.event,
                .init(codingPath: [], debugDescription: "no event in the body or the URL")
            )
        }
        instance = try container.decodeIfPresent(String.self, forKey: .instance)
        sender = try container.decodeIfPresent(String.self, forKey: .sender)

        switch EvolutionEventName(eventName) {
        case .qrCodeUpdated:
            payload = .qrCode(try container.decode(EvolutionQRCodeData.self, forKey: .data))
        case .connectionUpdate:
            payload = .connection(try container.decode(EvolutionConnectionData.self, forKey: .data))
        case .instanceStatus:
            payload = .instanceStatus(try container.decode(EvolutionInstanceStatusData.self, forKey: .data))
        case .logout:
            payload = .logout
        case .messagesUpsert, .sendMessage:
            payload = .messages(try container.decode(OneOrMany<EvolutionMessageData>.self, forKey: .data).items)
        case .messagesUpdate:
            payload = .receipts(try container.decode(OneOrMany<EvolutionReceiptData>.self, forKey: .data).items)
        case .other:
            payload = .ignored
        }
    }
}
