/// What a provider webhook means to the CRM, whichever provider sent it. Parsers turn each
/// body into zero or more of these; the listener applies them.
package enum WebhookEvent: Sendable, Hashable {
    /// A new QR code to scan.
    case qrUpdated(QRCodeUpdate)
    /// The number connected, is connecting or disconnected.
    case connectionChanged(ConnectionChange)
    /// A message was seen on the account, in either direction.
    case inboundMessage(InboundMessage)
    /// A receipt for a message the account sent.
    case statusChanged(MessageStatusChange)

    /// The name of the case, as written in the encoded form's `kind` field.
    package var kind: Kind {
        switch self {
        case .qrUpdated: .qrUpdated
        case .connectionChanged: .connectionChanged
        case .inboundMessage: .inboundMessage
        case .statusChanged: .statusChanged
        }
    }

    /// The provider's name for the number the event concerns (Evolution `instance`, Meta
    /// `phone_number_id`, Z-API `instanceId`): one Meta body can carry several numbers.
    package var instance: String {
        switch self {
        case .qrUpdated(let update): update.instance
        case .connectionChanged(let change): change.instance
        case .inboundMessage(let message): message.instance
        case .statusChanged(let change): change.instance
        }
    }

    /// The case names, for the encoded form and for logs and metrics labels.
    package enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case qrUpdated, connectionChanged, inboundMessage, statusChanged
    }
}

/// Encoded flat, `{"kind": "inboundMessage", "instance": …, "externalId": …}`, so that the
/// stored audit copy and the live event stream read like the fixtures' `expected.json`.
extension WebhookEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .qrUpdated: self = .qrUpdated(try QRCodeUpdate(from: decoder))
        case .connectionChanged: self = .connectionChanged(try ConnectionChange(from: decoder))
        case .inboundMessage: self = .inboundMessage(try InboundMessage(from: decoder))
        case .statusChanged: self = .statusChanged(try MessageStatusChange(from: decoder))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .qrUpdated(let update): try update.encode(to: encoder)
        case .connectionChanged(let change): try change.encode(to: encoder)
        case .inboundMessage(let message): try message.encode(to: encoder)
        case .statusChanged(let change): try change.encode(to: encoder)
        }
    }
}
