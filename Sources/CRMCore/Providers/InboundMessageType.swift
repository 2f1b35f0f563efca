/// The kinds of message content the CRM distinguishes. Providers' many variants fold into
/// these (for example Evolution's `conversation` and `extendedTextMessage` are both `text`).
package enum InboundMessageType: String, Sendable, Hashable, Codable, CaseIterable {
    case text
    case image
    case video
    /// Audio files and voice notes.
    case audio
    /// Documents, including Evolution's `documentWithCaptionMessage`.
    case document
    case sticker
    case location
    /// A shared contact card (vCard); the text is its display name.
    case contact
    /// An emoji reaction to another message (`reactionTo`).
    case reaction
    /// A tap on a quick-reply or template button.
    case buttonReply
    /// A row picked from a list message.
    case listReply
    /// A real message whose content the CRM does not model (polls, events, orders…). It is
    /// still reported so that the conversation shows that the contact wrote something.
    case unsupported
}
