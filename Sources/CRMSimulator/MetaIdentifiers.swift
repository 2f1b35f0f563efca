import Foundation

/// Identifiers in the shapes the Cloud API uses.
enum MetaIdentifiers {
    private static let traceAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// A message id: `wamid.` + base64 of WhatsApp's key (the contact's digits, the direction, a
    /// hex id), as `wamid.HBgN…` in the fixtures. Outgoing ids carry 18 hex digits, inbound ones 20.
    static func wamid(contact digits: String, outgoing: Bool) -> String {
        let hex = String((0..<(outgoing ? 18 : 20)).map { _ in "0123456789ABCDEF".randomElement()! })
        var bytes: [UInt8] = [0x1C, 0x18, UInt8(truncatingIfNeeded: digits.utf8.count)]
        bytes += Array(digits.utf8)
        bytes += [0x15, 0x02, 0x00, outgoing ? 0x11 : 0x12, 0x18, UInt8(hex.utf8.count)]
        bytes += Array(hex.utf8) + [0x00]
        return "wamid." + Data(bytes).base64EncodedString()
    }

    /// Graph's `fbtrace_id`: 27 URL-safe characters.
    static func fbtraceId() -> String { "A" + String((0..<26).map { _ in traceAlphabet.randomElement()! }) }

    /// A WhatsApp Business account id: 15 digits.
    static func wabaId() -> String { "1" + String((0..<14).map { _ in "0123456789".randomElement()! }) }

    /// `conversation.id` of a status: 32 lowercase hex digits.
    static func conversationId() -> String { String((0..<32).map { _ in "0123456789abcdef".randomElement()! }) }

    /// A verification challenge: a random number, as Meta sends.
    static func challenge() -> String { String(UInt32.random(in: 100_000_000...UInt32.max)) }
}
