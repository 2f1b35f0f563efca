import CRMCore

/// Where an Evolution message belongs: a one-to-one chat or a group (with its sender), or
/// nowhere the CRM serves (status stories, channels, broadcast lists).
enum EvolutionChat {
    case direct(contact: ContactAddress)
    case group(id: String, sender: ContactAddress)
    case ignored

    /// Reads the chat from a message key.
    ///
    /// - Parameter ownPhone: the account's own digits (envelope `sender`). On our own messages
    ///   the "alt" fields and the group participant describe us rather than the contact, so that
    ///   number is not taken from them (the chat JID itself is trusted: "message yourself").
    init(key: EvolutionMessageKey, ownPhone: String?) throws(WebhookParseError) {
        guard let chat = JID(key.remoteJid) else {
            throw .invalidValue(path: "data.key.remoteJid", reason: "not a WhatsApp JID")
        }
        let fromMe = key.fromMe ?? false
        let excludedPhone = fromMe ? ownPhone : nil
        switch chat.kind {
        case .group:
            let candidates = [key.participant, key.participantAlt, key.participantPn, key.participantLid]
            self = .group(id: chat.user, sender: Self.address(trusted: nil, candidates, excludingPhone: excludedPhone))
        case .phone, .lid:
            // senderPn/senderLid name the author, which on our own messages is us.
            let senderFields = fromMe ? [] : [key.senderPn, key.senderLid]
            let alternates = [key.remoteJidAlt, key.previousRemoteJid] + senderFields
            let contact = Self.address(trusted: chat, alternates, excludingPhone: excludedPhone)
            guard contact.isKnown else {
                throw .invalidValue(path: "data.key.remoteJid", reason: "no phone number or LID in the JID")
            }
            self = .direct(contact: contact)
        case .broadcast, .newsletter, .other:
            self = .ignored
        }
    }

    /// The phone and LID of `trusted`, completed by the first of each among `candidates`.
    private static func address(
        trusted: JID?,
        _ candidates: [String?],
        excludingPhone excluded: String?
    ) -> ContactAddress {
        var address = ContactAddress(phone: trusted?.phoneDigits, lid: trusted?.lidDigits)
        for case let raw? in candidates {
            guard let jid = JID(raw) else { continue }
            if address.phone == nil, let phone = jid.phoneDigits, phone != excluded {
                address.phone = phone
            }
            if address.lid == nil, let lid = jid.lidDigits {
                address.lid = lid
            }
        }
        return address
    }
}
