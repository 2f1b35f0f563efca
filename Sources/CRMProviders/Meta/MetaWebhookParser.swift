import CRMCore
import Foundation

/// Reads WhatsApp Cloud API webhooks. Verify `X-Hub-Signature-256` on the raw bytes before
/// calling this: the parser trusts the body.
package struct MetaWebhookParser: WebhookParser {
    package var provider: ProviderKind { .meta }

    package init() {}

    /// `pathEvent` is ignored: Meta posts everything to one URL.
    package func parse(_ body: Data, pathEvent: String?) throws(WebhookParseError) -> [WebhookEvent] {
        let notification = try WebhookJSON.decode(MetaNotification.self, from: body)
        var events: [WebhookEvent] = []
        for (entryIndex, entry) in notification.entry.enumerated() {
            for (changeIndex, change) in entry.changes.enumerated() {
                guard let value = change.value, value.hasEvents else { continue }
                let path = "entry[\(entryIndex)].changes[\(changeIndex)].value"
                guard let instance = value.metadata?.phoneNumberId, !instance.isEmpty else {
                    throw .missingField(path: "\(path).metadata.phone_number_id")
                }
                try Self.appendEvents(of: value, instance: instance, path: path, to: &events)
            }
        }
        return events
    }

    /// Messages, then echoes, then statuses of one change value, each in array order.
    private static func appendEvents(
        of value: MetaChangeValue,
        instance: String,
        path: String,
        to events: inout [WebhookEvent]
    ) throws(WebhookParseError) {
        for (index, message) in (value.messages ?? []).enumerated() {
            let itemPath = "\(path).messages[\(index)]"
            guard let from = message.from else { throw .missingField(path: "\(itemPath).from") }
            let contact = try phone(from, path: "\(itemPath).from")
            if let event = try inboundMessage(
                message, instance: instance, contact: contact, fromMe: false,
                senderName: value.profileName(of: contact), path: itemPath
            ) {
                events.append(.inboundMessage(event))
            }
        }
        for (index, echo) in (value.messageEchoes ?? []).enumerated() {
            let itemPath = "\(path).message_echoes[\(index)]"
            guard let to = echo.to else { throw .missingField(path: "\(itemPath).to") }
            let contact = try phone(to, path: "\(itemPath).to")
            if let event = try inboundMessage(
                echo, instance: instance, contact: contact, fromMe: true, senderName: nil, path: itemPath
            ) {
                events.append(.inboundMessage(event))
            }
        }
        for (index, status) in (value.statuses ?? []).enumerated() {
            guard let messageStatus = status.messageStatus else { continue }
            guard !status.id.isEmpty else {
                throw .invalidValue(path: "\(path).statuses[\(index)].id", reason: "empty message id")
            }
            let error = messageStatus == .failed ? status.errors?.first : nil
            events.append(.statusChanged(MessageStatusChange(
                instance: instance,
                externalId: status.id,
                status: messageStatus,
                errorCode: error?.code,
                errorMessage: error.flatMap { MessageContent.optionalText($0.message ?? $0.title) },
                timestamp: status.timestamp?.date
            )))
        }
    }

    private static func inboundMessage(
        _ message: MetaMessage,
        instance: String,
        contact: String,
        fromMe: Bool,
        senderName: String?,
        path: String
    ) throws(WebhookParseError) -> InboundMessage? {
        guard case .content(let content) = message.content else { return nil }
        guard !message.id.isEmpty else { throw .invalidValue(path: "\(path).id", reason: "empty message id") }
        return InboundMessage(
            instance: instance,
            externalId: message.id,
            sender: ContactAddress(phone: contact, lid: nil),
            fromMe: fromMe,
            groupId: message.groupId,
            content: content,
            senderName: senderName,
            timestamp: message.timestamp?.date
        )
    }

    /// Cloud API numbers are bare digits (`wa_id`), never reformatted.
    private static func phone(_ raw: String, path: String) throws(WebhookParseError) -> String {
        guard let digits = Digits.only(raw) else {
            throw .invalidValue(path: path, reason: "not a phone number")
        }
        return digits
    }
}
