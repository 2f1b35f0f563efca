/// The callbacks a Z-API instance posts, each to its own URL (`PUT …/update-webhook-<path>`).
package enum ZAPIWebhookKind: String, Sendable, Hashable, CaseIterable {
    case received
    case delivery
    case messageStatus = "message-status"
    case connected
    case disconnected
    case chatPresence = "chat-presence"

    /// The callback's `type`.
    var callbackType: String {
        switch self {
        case .received: "ReceivedCallback"
        case .delivery: "DeliveryCallback"
        case .messageStatus: "MessageStatusCallback"
        case .connected: "ConnectedCallback"
        case .disconnected: "DisconnectedCallback"
        case .chatPresence: "PresenceChatCallback"
        }
    }
}

/// What makes a simulated instance a Z-API one: the account's security token and the
/// per-kind webhook URLs set through the API (Z-API instances are made in its dashboard: the
/// simulator provisions them through `POST /_simulator/zapi/instances`).
struct ZAPIInstanceSettings: Sendable, Hashable {
    /// The account's `Client-Token`; `nil` when the account has not enabled it (any header passes).
    var clientToken: String?
    var webhooks: [ZAPIWebhookKind: String] = [:]
    /// "Notify sent by me": messages sent from the phone or the API come back as ReceivedCallback
    /// with `fromMe: true`.
    var notifySentByMe = false

    var json: JSONValue {
        .object([
            ("webhooks", .object(ZAPIWebhookKind.allCases.compactMap { kind in webhooks[kind].map { (kind.rawValue, .string($0)) } })),
            ("notifySentByMe", .bool(notifySentByMe)),
            ("clientTokenRequired", .bool(clientToken != nil)),
        ])
    }
}
