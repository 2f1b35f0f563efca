import Foundation

/// Random identifiers in the shapes Evolution and WhatsApp use, so that clients validating or
/// storing them meet realistic values.
enum WireIdentifiers {
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    private static let cuidAlphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    /// A Baileys outgoing message id: `3EB0` + 18 uppercase hex digits (22 characters).
    static func outgoingMessageId() -> String { "3EB0" + hex(count: 18) }

    /// An id as an Android phone writes it: 32 uppercase hex digits.
    static func inboundMessageId() -> String { hex(count: 32) }

    /// Evolution's database ids (Prisma cuid): `c` + 24 lowercase letters and digits.
    static func cuid() -> String { "c" + String((0..<24).map { _ in cuidAlphabet.randomElement()! }) }

    /// The instance token (`hash`): an uppercase UUID, as Evolution generates it.
    static func instanceToken() -> String { UUID().uuidString.uppercased() }

    /// The instance id: a lowercase UUID.
    static func instanceId() -> String { UUID().uuidString.lowercased() }

    /// A WhatsApp Web pairing string: `2@` + a 88-character ref, then three base64 keys of 32
    /// bytes each, comma-separated (about 240 characters). Random per rotation; not scannable.
    static func qrCode() -> String {
        let ref = String((0..<88).map { _ in base64Alphabet.randomElement()! })
        let keys = (0..<3).map { _ in Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() }
        return "2@" + ([ref] + keys).joined(separator: ",")
    }

    private static func hex(count: Int) -> String {
        String((0..<count).map { _ in "0123456789ABCDEF".randomElement()! })
    }
}

/// Evolution's timestamps: ISO 8601 with milliseconds and a `Z`.
enum WireClock {
    static func isoString(_ date: Date = Date()) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Seconds since 1970, as `messageTimestamp` carries them.
    static func seconds(_ date: Date = Date()) -> Int { Int(date.timeIntervalSince1970) }
}
