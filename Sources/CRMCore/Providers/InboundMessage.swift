import Foundation

/// A message seen on the account (`WebhookEvent.inboundMessage`): sent by a contact, or sent by
/// the account itself (`fromMe`: from the phone, or the provider's echo of our own API send),
/// so that the conversation shows both sides.
package struct InboundMessage: Sendable, Hashable, Codable {
    /// Evolution `instance`, Meta `phone_number_id` or Z-API `instanceId`.
    package var instance: String
    /// The provider's message id (Evolution `key.id`, Meta `wamid.…`, Z-API `messageId`):
    /// the dedupe key, and what a `fromMe` echo is matched to our outbound message by.
    package var externalId: String
    /// The contact's phone digits (for groups, the sending participant's), exactly as the
    /// provider wrote them: no `+`, no ninth-digit insertion for old Brazilian numbers.
    /// `nil` when WhatsApp hid the number behind a LID and no field carried it.
    package var from: String?
    /// The contact's WhatsApp LID digits (`…@lid`), when the provider gives one: with `from`
    /// it lets the store keep one contact per person whichever id a message arrives with.
    package var lid: String?
    /// `true` when the account sent the message.
    package var fromMe: Bool
    package var isGroup: Bool
    /// The group's id (Evolution/Z-API digits before `@g.us`/`-group`, Meta `group_id`).
    package var groupId: String?
    package var messageType: InboundMessageType
    /// The body: text, media caption (`nil` when empty), contact name, reaction emoji, the
    /// chosen button or row title; `nil` for locations.
    package var text: String?
    /// The sender's WhatsApp profile name, for contacts' messages only.
    package var senderName: String?
    /// When the message was sent, when the body says so.
    package var timestamp: Date?
    /// Documents' file name.
    package var fileName: String?
    /// For reactions, the id of the message reacted to.
    package var reactionTo: String?
    /// For button and list replies, the id of the button or row chosen.
    package var selectionId: String?
    package var latitude: Double?
    package var longitude: Double?

    package init(
        instance: String,
        externalId: String,
        from: String?,
        lid: String? = nil,
        fromMe: Bool,
        isGroup: Bool = false,
        groupId: String? = nil,
        messageType: InboundMessageType,
        text: String?,
        senderName: String? = nil,
        timestamp: Date? = nil,
        fileName: String? = nil,
        reactionTo: String? = nil,
        selectionId: String? = nil,
        latitude: Double? = nil,
        longitude: Double? = nil
    ) {
        self.instance = instance
        self.externalId = externalId
        self.from = from
        self.lid = lid
        self.fromMe = fromMe
        self.isGroup = isGroup
        self.groupId = groupId
        self.messageType = messageType
        self.text = text
        self.senderName = senderName
        self.timestamp = timestamp
        self.fileName = fileName
        self.reactionTo = reactionTo
        self.selectionId = selectionId
        self.latitude = latitude
        self.longitude = longitude
    }
}
