/// Evolution accepts `number` as digits, `+55 (11) 9…` or a full JID; it answers with the JID.
enum PhoneNumber {
    /// The digits of a number or of a JID's user part.
    static func digits(_ raw: String) -> String {
        let user = raw.split(separator: "@", maxSplits: 1).first.map(String.init) ?? raw
        return String(user.filter(\.isASCII).filter(\.isNumber))
    }

    /// A person's JID, `<digits>@s.whatsapp.net`.
    static func jid(_ digits: String) -> String { "\(digits)@s.whatsapp.net" }
}
