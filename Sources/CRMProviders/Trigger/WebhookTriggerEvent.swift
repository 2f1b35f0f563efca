import CRMCore

/// The sample webhooks `crm webhook trigger PROVIDER.EVENT` can post to a listener, as
/// `stripe trigger` does: each builds a realistic body in its provider's current wire shape.
package enum WebhookTriggerEvent: String, CaseIterable, Sendable, Hashable {
    case evolutionMessagesUpsert = "evolution.messages.upsert"
    case evolutionMessagesUpdate = "evolution.messages.update"
    case evolutionConnectionUpdate = "evolution.connection.update"
    case evolutionQRCodeUpdated = "evolution.qrcode.updated"
    case evolutionSendMessage = "evolution.send.message"
    case metaMessages = "meta.messages"
    case metaStatuses = "meta.statuses"
    case zapiReceived = "zapi.received"
    case zapiStatus = "zapi.status"
    case zapiConnected = "zapi.connected"
    case zapiDisconnected = "zapi.disconnected"

    package var provider: ProviderKind {
        switch self {
        case .evolutionMessagesUpsert, .evolutionMessagesUpdate, .evolutionConnectionUpdate,
             .evolutionQRCodeUpdated, .evolutionSendMessage:
            .evolution
        case .metaMessages, .metaStatuses:
            .meta
        case .zapiReceived, .zapiStatus, .zapiConnected, .zapiDisconnected:
            .zapi
        }
    }

    /// One line for `crm webhook trigger --list`.
    package var summary: String {
        switch self {
        case .evolutionMessagesUpsert: "a contact sends the unit a text message"
        case .evolutionMessagesUpdate: "a message the unit sent reaches the contact's phone (DELIVERY_ACK)"
        case .evolutionConnectionUpdate: "the instance opens after a QR scan (state open)"
        case .evolutionQRCodeUpdated: "a new QR code to scan"
        case .evolutionSendMessage: "Evolution's echo of a message the unit sent (fromMe, PENDING)"
        case .metaMessages: "a contact sends the unit a text message (signed with the app secret)"
        case .metaStatuses: "a message the unit sent is delivered (signed with the app secret)"
        case .zapiReceived: "a contact sends the unit a text message (ReceivedCallback)"
        case .zapiStatus: "a message the unit sent reaches the contact's phone (MessageStatusCallback RECEIVED)"
        case .zapiConnected: "the instance connects after a QR scan (ConnectedCallback)"
        case .zapiDisconnected: "the phone disconnects the instance (DisconnectedCallback)"
        }
    }

    /// What the listener should make of the body.
    package var expectedKind: WebhookEvent.Kind {
        switch self {
        case .evolutionMessagesUpsert, .evolutionSendMessage, .metaMessages, .zapiReceived: .inboundMessage
        case .evolutionMessagesUpdate, .metaStatuses, .zapiStatus: .statusChanged
        case .evolutionConnectionUpdate, .zapiConnected, .zapiDisconnected: .connectionChanged
        case .evolutionQRCodeUpdated: .qrUpdated
        }
    }

    /// Whether the body carries a message id (`externalId` is used): messages and receipts.
    package var usesExternalId: Bool {
        expectedKind == .inboundMessage || expectedKind == .statusChanged
    }

    /// A fresh message id in the provider's format: Baileys' `3EB0…` for the account's own
    /// messages, a phone's 32-hex id for contacts' ones, Meta's `wamid.…`. For a receipt event,
    /// pass the id of a message the unit really sent instead, or the receipt matches nothing.
    package func newExternalId() -> String {
        switch self {
        case .evolutionMessagesUpsert: TriggerIDs.hex(32)
        case .evolutionMessagesUpdate, .evolutionSendMessage: "3EB0" + TriggerIDs.hex(18)
        case .metaMessages, .metaStatuses: "wamid.HBgN" + TriggerIDs.base64(bytes: 42)
        case .zapiReceived, .zapiStatus: "3EB0" + TriggerIDs.hex(16)
        case .evolutionConnectionUpdate, .evolutionQRCodeUpdated, .zapiConnected, .zapiDisconnected:
            TriggerIDs.hex(20)
        }
    }
}
