/// The Evolution events the CRM acts on. Bodies write them lower-case and dotted
/// (`messages.upsert`); "webhook by events" URLs end with them dashed (`…/messages-upsert`);
/// configuration uses UPPER_SNAKE (`MESSAGES_UPSERT`). All three spellings are accepted.
enum EvolutionEventName: Sendable, Hashable {
    case qrCodeUpdated
    case connectionUpdate
    case instanceStatus
    case logout
    case messagesUpsert
    case sendMessage
    case messagesUpdate
    /// Every other event (`contacts.update`, `messages.delete`, `presence.update`…): valid,
    /// but nothing the CRM applies.
    case other

    init(_ raw: String) {
        let canonical = String(raw.lowercased().map { $0 == "-" || $0 == "_" ? "." : $0 })
        switch canonical {
        case "qrcode.updated": self = .qrCodeUpdated
        case "connection.update": self = .connectionUpdate
        case "status.instance": self = .instanceStatus
        case "logout.instance": self = .logout
        case "messages.upsert": self = .messagesUpsert
        case "send.message": self = .sendMessage
        case "messages.update": self = .messagesUpdate
        default: self = .other
        }
    }
}
