/// How a message's contact is addressed: by phone digits, by LID digits, or both. Providers
/// spread these over several fields (`remoteJid`/`remoteJidAlt`, `phone`/`chatLid`…); parsers
/// gather the candidates here so that one person stays one contact.
struct ContactAddress: Sendable, Hashable {
    var phone: String?
    var lid: String?

    static let unknown = ContactAddress(phone: nil, lid: nil)

    /// Whether any identifier was found.
    var isKnown: Bool { phone != nil || lid != nil }
}
