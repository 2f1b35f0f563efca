import CRMCore
import Foundation

extension InboundMessage {
    /// Joins what a parser found about the sender and chat with the decoded content.
    init(
        instance: String,
        externalId: String,
        sender: ContactAddress,
        fromMe: Bool,
        groupId: String?,
        content: MessageContent,
        senderName: String?,
        timestamp: Date?
    ) {
        self.init(
            instance: instance,
            externalId: externalId,
            from: sender.phone,
            lid: sender.lid,
            fromMe: fromMe,
            isGroup: groupId != nil,
            groupId: groupId,
            messageType: content.type,
            text: content.text,
            senderName: fromMe ? nil : MessageContent.optionalText(senderName),
            timestamp: timestamp,
            fileName: content.fileName,
            reactionTo: content.reactionTo,
            selectionId: content.selectionId,
            latitude: content.latitude,
            longitude: content.longitude
        )
    }
}
