/// A WhatsApp address, `user[_agent][:device]@server`, as Baileys-based gateways write it
/// (`5511999990001@s.whatsapp.net`, `128406231990285@lid`, `1203…@g.us`, `status@broadcast`).
///
/// Parsers use it to tell people from groups, stories and channels, and to pull the phone or
/// LID digits out without trusting the string to be well formed.
package struct JID: Sendable, Hashable {
    /// The user part without agent and device suffixes.
    package let user: String
    /// The part after `@`, lower-cased.
    package let server: String

    /// What the address points at; decides whether a message concerns a contact at all.
    package enum Kind: Sendable, Hashable {
        /// A person addressed by phone number (`s.whatsapp.net`, legacy `c.us`, `hosted`).
        case phone
        /// A person addressed by their privacy id (`lid`, `hosted.lid`).
        case lid
        /// A group chat (`g.us`).
        case group
        /// Status stories (`status@broadcast`) and broadcast lists (`…@broadcast`).
        case broadcast
        /// A channel (`newsletter`).
        case newsletter
        /// Anything else (bots, calls…): never a CRM contact.
        case other
    }

    /// Parses `raw`; `nil` when it has no `@` or an empty user or server part.
    /// Searches the UTF-8 bytes, not the characters: every listener request parses a JID or two,
    /// and searching by Character (grapheme breaking) was 1 % of the listener's CPU.
    package init?(_ raw: String) {
        let bytes = raw.utf8
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        var userEnd = at
        if let colon = bytes[..<userEnd].firstIndex(of: UInt8(ascii: ":")) { userEnd = colon }
        if let underscore = bytes[..<userEnd].firstIndex(of: UInt8(ascii: "_")) { userEnd = underscore }
        let server = raw[bytes.index(after: at)...]
        guard userEnd > bytes.startIndex, !server.isEmpty else { return nil }
        self.user = String(raw[..<userEnd])
        self.server = server.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || $0 >= 0x80 })
            ? server.lowercased() : String(server)
    }

    package var kind: Kind {
        switch server {
        case "s.whatsapp.net", "c.us", "hosted": .phone
        case "lid", "hosted.lid": .lid
        case "g.us": .group
        case "broadcast": .broadcast
        case "newsletter": .newsletter
        default: .other
        }
    }

    /// The phone digits, when this is a phone address whose user part is all digits.
    package var phoneDigits: String? {
        kind == .phone ? Digits.only(user) : nil
    }

    /// The LID digits, when this is a LID address whose user part is all digits.
    package var lidDigits: String? {
        kind == .lid ? Digits.only(user) : nil
    }
}
