import CRMCore

/// The provider-independent part of a message: its kind and what the CRM shows of it. Each
/// parser reads its provider's content shape into this, then adds who and where.
struct MessageContent: Sendable, Hashable {
    var type: InboundMessageType
    var text: String?
    var fileName: String?
    var reactionTo: String?
    var selectionId: String?
    var latitude: Double?
    var longitude: Double?

    init(
        type: InboundMessageType,
        text: String? = nil,
        fileName: String? = nil,
        reactionTo: String? = nil,
        selectionId: String? = nil,
        latitude: Double? = nil,
        longitude: Double? = nil
    ) {
        self.type = type
        self.text = text
        self.fileName = fileName
        self.reactionTo = reactionTo
        self.selectionId = selectionId
        self.latitude = latitude
        self.longitude = longitude
    }

    /// A message whose content the CRM does not model.
    static let unsupported = MessageContent(type: .unsupported)

    /// Media captions, names and titles: an empty string means "none" (`nil`); a body text
    /// is kept verbatim elsewhere.
    static func optionalText(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
