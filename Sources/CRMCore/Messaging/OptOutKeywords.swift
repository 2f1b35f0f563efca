import Foundation

/// The words that, sent alone, mean "stop writing to me": a contact whose whole message is one of
/// them is opted out. Compared without case, accents or surrounding punctuation and spaces, so
/// that "Parar", "stop!" and " SAIR " match PARAR, STOP and SAIR; "quero parar" matches nothing.
/// A unit keeps its own list or, without one, `defaults`.
package struct OptOutKeywords: Sendable, Equatable, Codable {
    /// The words as configured (trimmed), in their order: what `crm units show` prints.
    package let words: [String]
    /// Their `normalized` forms: what a message is compared with.
    private let forms: Set<String>
    /// The ASCII letters and digits found in `forms`, one bit each (see `mayMatch`).
    private let asciiInForms: ASCIISet

    package static let defaultWords = ["STOP", "PARAR", "SAIR", "CANCELAR"]
    package static let defaults = OptOutKeywords(stored: defaultWords)
    /// A keyword's length limit (its normalized form): keywords are words, not sentences.
    package static let maxLength = 30
    package static let maxCount = 20

    /// Words read back from the database, already validated when they were set.
    package init(stored words: [String]) {
        self.words = words
        forms = Set(words.map(Self.normalized).filter { !$0.isEmpty })
        asciiInForms = ASCIISet(forms.lazy.flatMap(\.utf8))
    }

    /// Words a person gave: each non-empty, of letters or digits at heart, at most `maxLength`
    /// characters, no two the same once normalized; 1 to `maxCount` of them.
    package init(validating given: [String]) throws {
        let words = given.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard !words.isEmpty else {
            throw CRMError.invalidInput(
                "Give at least one opt-out keyword, such as --opt-out-keywords \"STOP,PARAR\" "
                    + "(or --default-opt-out-keywords for \(Self.defaultWords.joined(separator: ", "))).",
                api: "Give at least one opt-out keyword, such as [\"STOP\", \"PARAR\"] (or null for \(Self.defaultWords.joined(separator: ", "))).")
        }
        guard words.count <= Self.maxCount else {
            throw CRMError.invalidInput("\(words.count) opt-out keywords: the limit is \(Self.maxCount).")
        }
        var seen: [String: String] = [:]
        for word in words {
            guard !word.isEmpty else {
                throw CRMError.invalidInput(
                    "An opt-out keyword is empty (two commas in a row, or one at the end?): separate the words with single commas.")
            }
            let shown = "'\(word.prefix(40))\(word.count > 40 ? "…" : "")'"
            guard !word.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw CRMError.invalidInput("The opt-out keyword \(shown) contains control characters (a newline or tab): remove them.")
            }
            let form = Self.normalized(word)
            guard !form.isEmpty else {
                throw CRMError.invalidInput("The opt-out keyword \(shown) has no letters or digits: punctuation alone is ignored in messages.")
            }
            guard form.count <= Self.maxLength else {
                throw CRMError.invalidInput("The opt-out keyword \(shown) is longer than \(Self.maxLength) characters: keywords are single words or short phrases.")
            }
            if let first = seen[form] {
                throw CRMError.invalidInput(
                    "The opt-out keywords '\(first.prefix(40))' and \(shown) are the same word (case, accents and punctuation do not count): give it once.")
            }
            seen[form] = word
        }
        self.init(stored: words)
    }

    /// A comma-separated list as typed on the command line: "STOP, PARAR,Sair".
    package static func parse(_ list: String) throws -> OptOutKeywords {
        guard !list.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return try OptOutKeywords(validating: []) }
        return try OptOutKeywords(validating: list.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
    }

    /// Whether the whole of `text` is one of the keywords.
    package func matches(_ text: String) -> Bool {
        guard mayMatch(text) else { return false }
        return Self.candidate(text).map(contains(normalized:)) ?? false
    }

    /// False when `text` has an ASCII letter or digit that no keyword has: normalizing keeps every
    /// one of them (lowercased), so its form cannot be a keyword. This rejects almost every real
    /// message by reading its bytes once, before the costly Unicode normalization.
    package func mayMatch(_ text: String) -> Bool {
        for byte in text.utf8 {
            let lowered = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            if ASCIISet.isAlphanumeric(lowered), !asciiInForms.contains(lowered) { return false }
        }
        return true
    }

    /// Whether `form` (a `candidate`) is one of the keywords.
    package func contains(normalized form: String) -> Bool { forms.contains(form) }

    /// The normalized form of a message that is short enough to be a keyword; `nil` for longer
    /// ones, which are never compared (most messages: they cost no normalizing and no lookup).
    package static func candidate(_ text: String) -> String? {
        // A keyword of 30 characters, even with accents, punctuation and spaces around it, is far shorter.
        guard text.utf8.count <= 256 else { return nil }
        let form = normalized(text)
        return form.isEmpty || form.count > maxLength ? nil : form
    }

    /// Lowercase, without accents or other marks (compatibility forms folded: "ＳＴＯＰ" is "stop"),
    /// without punctuation or spaces at either end, inner spaces collapsed to one.
    package static func normalized(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            scalars.append(scalar)
        }
        let words = String(scalars).lowercased().split(whereSeparator: \.isWhitespace)
        var joined = words.joined(separator: " ")[...]
        while let first = joined.first, first.isPunctuation || first.isWhitespace { joined.removeFirst() }
        while let last = joined.last, last.isPunctuation || last.isWhitespace { joined.removeLast() }
        return String(joined)
    }

    package init(from decoder: any Decoder) throws {
        self.init(stored: try decoder.singleValueContainer().decode([String].self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(words)
    }

    package static func == (lhs: OptOutKeywords, rhs: OptOutKeywords) -> Bool { lhs.words == rhs.words }
}

/// A set of ASCII bytes as two 64-bit masks.
private struct ASCIISet: Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(_ bytes: some Sequence<UInt8>) {
        for byte in bytes where byte < 128 {
            if byte < 64 { low |= 1 << byte } else { high |= 1 << (byte - 64) }
        }
    }

    func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? low & (1 << byte) != 0 : byte < 128 && high & (1 << (byte - 64)) != 0
    }

    /// 0-9 and a-z (callers lowercase first).
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
