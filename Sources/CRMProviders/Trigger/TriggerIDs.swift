import Crypto
import Foundation

/// Random and derived identifiers in each provider's format, so that trigger bodies look like
/// the real thing and repeated triggers never collide.
enum TriggerIDs {
    /// Upper-case hex characters, `count` of them.
    static func hex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in "0123456789ABCDEF".randomElement(using: &generator)! })
    }

    /// Base64 of `count` random bytes.
    static func base64(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
    }

    /// A Prisma cuid like Evolution's database ids (`cmh0k3x9a0007s601q2w3e4r5`).
    static func cuid() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        return "cm" + String((0..<23).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// A stable UUID for `name` (Evolution gives each instance one `instanceId` for life).
    static func uuid(derivedFrom name: String) -> String {
        let digest = Array(SHA256.hash(data: Data(name.utf8)).prefix(16))
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }

    /// Stable decimal digits for `name` (a Meta WABA id for a phone number id).
    static func digits(derivedFrom name: String, count: Int) -> String {
        let digest = SHA256.hash(data: Data(("waba:" + name).utf8))
        let digits = digest.map { String($0 % 10) }.joined()
        return "1" + digits.prefix(count - 1)
    }
}
