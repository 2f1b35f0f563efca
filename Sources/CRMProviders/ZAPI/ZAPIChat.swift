import CRMCore

/// Where a Z-API message belongs, read from `phone` and the LID fields.
enum ZAPIChat {
    case direct(contact: ContactAddress)
    case group(id: String, sender: ContactAddress)
    /// Channels, broadcast lists and status stories.
    case ignored

    init(message: ZAPIReceivedMessage) throws(WebhookParseError) {
        if message.isNewsletter == true {
            self = .ignored
            return
        }
        let fromMe = message.fromMe ?? false
        guard let phone = message.phone else { throw .missingField(path: "phone") }
        if phone.hasSuffix("-group") {
            self = .group(id: String(phone.dropLast("-group".count)), sender: Self.participant(of: message, fromMe: fromMe))
            return
        }
        if phone.hasSuffix("-broadcast") {
            self = .ignored
            return
        }
        var contact: ContactAddress
        if let jid = JID(phone) {
            switch jid.kind {
            case .phone, .lid:
                contact = ContactAddress(phone: jid.phoneDigits, lid: jid.lidDigits)
            case .group:
                self = .group(id: jid.user, sender: Self.participant(of: message, fromMe: fromMe))
                return
            case .broadcast, .newsletter, .other:
                self = .ignored
                return
            }
        } else if let digits = Digits.only(phone) {
            if message.isGroup == true {
                // Older group ids arrive without the suffix but with the flag.
                self = .group(id: digits, sender: Self.participant(of: message, fromMe: fromMe))
                return
            }
            contact = ContactAddress(phone: digits, lid: nil)
        } else {
            throw .invalidValue(path: "phone", reason: "neither digits, a group id nor a JID")
        }
        // chatLid names the chat; senderLid the author, which on our own messages is us.
        contact.lid = contact.lid ?? Self.lidDigits(message.chatLid) ?? (fromMe ? nil : Self.lidDigits(message.senderLid))
        guard contact.isKnown else {
            throw .invalidValue(path: "phone", reason: "no phone number or LID")
        }
        self = .direct(contact: contact)
    }

    /// The group member who wrote; on our own group messages, not our own number.
    private static func participant(of message: ZAPIReceivedMessage, fromMe: Bool) -> ContactAddress {
        var sender = ContactAddress.unknown
        if let raw = message.participantPhone {
            if let jid = JID(raw) {
                sender = ContactAddress(phone: jid.phoneDigits, lid: jid.lidDigits)
            } else {
                sender.phone = Digits.only(raw)
            }
        }
        if fromMe, let own = message.connectedPhone, sender.phone == own {
            sender.phone = nil
        }
        sender.lid = sender.lid ?? lidDigits(message.participantLid)
        return sender
    }

    private static func lidDigits(_ raw: String?) -> String? {
        guard let raw else { return nil }
        return JID(raw)?.lidDigits ?? Digits.only(raw)
    }
}
