/// Phone numbers and LIDs travel as digit strings; this checks them without reformatting.
package enum Digits {
    /// `text` itself when it is one or more ASCII digits, else `nil`. Never inserts, strips or
    /// reorders anything: a 12-digit Brazilian number stays 12 digits.
    package static func only(_ text: some StringProtocol) -> String? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return String(text)
    }
}
