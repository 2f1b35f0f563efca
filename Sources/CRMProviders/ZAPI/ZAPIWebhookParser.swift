import CRMCore
import Foundation

/// Reads Z-API callbacks (received, message status, delivery, connected, disconnected,
/// presence). Z-API has no QR callback: the QR is polled over REST.
package struct ZAPIWebhookParser: WebhookParser {
    package var provider: ProviderKind { .zapi }

    package init() {}

    /// `pathEvent` is ignored: each callback names its kind in `type`.
    package func parse(_ body: Data, pathEvent: String?) throws(WebhookParseError) -> [WebhookEvent] {
        let callback = try WebhookJSON.decode(ZAPICallback.self, from: body)
        if case .ignored = callback.payload { return [] }
        guard let instance = callback.instanceId else { throw .missingField(path: "instanceId") }
        guard !instance.isEmpty else { throw .invalidValue(path: "instanceId", reason: "empty instance id") }

        switch callback.payload {
        case .received(let message):
            return try Self.inboundMessage(message, instance: instance).map { [.inboundMessage($0)] } ?? []
        case .messageStatus(let callback):
            guard let status = callback.messageStatus else { return [] }
            guard let ids = callback.messageIds else { throw .missingField(path: "ids") }
            var events: [WebhookEvent] = []
            for (index, id) in ids.enumerated() {
                guard !id.isEmpty else { throw .invalidValue(path: "ids[\(index)]", reason: "empty message id") }
                events.append(.statusChanged(MessageStatusChange(
                    instance: instance, externalId: id, status: status, timestamp: callback.momment?.date
                )))
            }
            return events
        case .delivery(let messageId):
            guard !messageId.isEmpty else { throw .invalidValue(path: "messageId", reason: "empty message id") }
            return [.statusChanged(MessageStatusChange(instance: instance, externalId: messageId, status: .sent))]
        case .connected(let phone):
            return [.connectionChanged(ConnectionChange(
                instance: instance, state: .connected, reason: .scanCompleted, phone: phone.flatMap(Digits.only)
            ))]
        case .disconnected:
            return [.connectionChanged(ConnectionChange(instance: instance, state: .disconnected, reason: .disconnected))]
        case .ignored:
            return []
        }
    }

    /// A received (or, with "notify sent by me", sent) message; `nil` for notifications,
    /// edits, placeholders, channels, broadcast lists and non-messages.
    static func inboundMessage(_ message: ZAPIReceivedMessage, instance: String) throws(WebhookParseError) -> InboundMessage? {
        if message.notification != nil || message.isEdit == true || message.waitingMessage == true {
            return nil
        }
        guard case .content(let content) = message.content else { return nil }
        let sender: ContactAddress
        let groupId: String?
        switch try ZAPIChat(message: message) {
        case .direct(let contact):
            (sender, groupId) = (contact, nil)
        case .group(let id, let participant):
            (sender, groupId) = (participant, id)
        case .ignored:
            return nil
        }
        guard let messageId = message.messageId else { throw .missingField(path: "messageId") }
        guard !messageId.isEmpty else { throw .invalidValue(path: "messageId", reason: "empty message id") }
        return InboundMessage(
            instance: instance,
            externalId: messageId,
            sender: sender,
            fromMe: message.fromMe ?? false,
            groupId: groupId,
            content: content,
            senderName: message.senderName,
            timestamp: message.momment?.date
        )
    }
}
