import Crypto
import Foundation

/// The per-unit secret in a webhook URL (`POST /webhooks/whatsapp/{provider}/{secret}`).
///
/// The secret is the only thing that ties a provider's request to a unit, so it is unguessable
/// (32 random bytes) and URL-safe (base64url without padding: 43 characters). The database keeps
/// only its SHA-256 (`webhook_secret_hash`), looked up by equality through an index: a leaked
/// database or backup does not let anyone post events for a unit. A plain hash suffices, with no
/// salt or slow hash, because the secret has 256 bits of entropy and cannot be brute-forced.
package enum WebhookSecret {
    package static let length = 43

    /// 32 bytes from the system's cryptographic generator, as base64url without padding.
    package static func generate() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Lowercase hex SHA-256 of the secret's UTF-8 bytes: the value stored and looked up.
    package static func hash(_ secret: String) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(secret.utf8)) {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether `secret` hashes to `hash`, in time that does not depend on where they differ:
    /// after the indexed lookup, this check must not tell a prober how many leading bytes were right.
    /// A stored hash that is not 64 hex digits matches nothing.
    package static func matches(_ secret: String, hash: String) -> Bool {
        guard hash.utf8.count == 2 * SHA256.byteCount, let expected = [UInt8](hexDigits: hash) else { return false }
        let actual = Array(SHA256.hash(data: Array(secret.utf8)))
        var difference: UInt8 = 0
        for index in 0..<actual.count {
            difference |= actual[index] ^ expected[index]
        }
        return difference == 0
    }

    /// 43 characters of the base64url alphabet: lets the listener answer 404 to garbage
    /// without a database round trip.
    package static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy(isBase64URLCharacter)
    }

    /// For display: "****" and the last 4 characters, never more (the same rule as every other secret).
    package static func masked(_ secret: String) -> String {
        Masking.secret(secret)
    }

    private static func isBase64URLCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
