import Crypto
import Foundation

/// Seals small secrets (provider API tokens, JSON of credentials) with AES-256-GCM, so that the
/// database holds only ciphertext: a copy of the database without `CRM_SECRET_KEY` reveals no token.
///
/// A sealed value is `0x01` (the format version) followed by AES-GCM's combined form:
/// a random 12-byte nonce, the ciphertext and the 16-byte tag. A fresh nonce per seal means sealing
/// the same token twice gives two different values, and no nonce is ever reused under one key.
///
/// Every seal is bound to a `context` (for example `"unit:<uuid>:evolution"`), passed to AES-GCM as
/// authenticated data together with the version byte: a value copied into another unit's row, or
/// read as another provider's, fails to open instead of handing one tenant's token to another.
///
/// Key rotation: set `CRM_SECRET_KEY` to a new key and `CRM_SECRET_KEY_PREVIOUS` to the old one.
/// `open` tries the current key first and then the previous one, so stored values keep opening;
/// `seal` always uses the current key, and `reseal` moves one stored value to it. Once every
/// value has been resealed (or configured again), remove `CRM_SECRET_KEY_PREVIOUS`.
package struct SecretBox: Sendable {
    package static let keyVariable = "CRM_SECRET_KEY"
    package static let previousKeyVariable = "CRM_SECRET_KEY_PREVIOUS"
    static let version: UInt8 = 0x01
    static let nonceByteCount = 12
    static let tagByteCount = 16

    private let key: SymmetricKey
    private let previousKey: SymmetricKey?

    /// Both keys must be 256 bits; a shorter one would silently select AES-128 or AES-192.
    package init(key: SymmetricKey, previousKey: SymmetricKey? = nil) {
        precondition(key.bitCount == 256, "SecretBox needs a 256-bit key")
        precondition(previousKey.map { $0.bitCount == 256 } ?? true, "SecretBox needs a 256-bit previous key")
        self.key = key
        self.previousKey = previousKey
    }

    /// Reads `CRM_SECRET_KEY` (required) and `CRM_SECRET_KEY_PREVIOUS` (optional).
    /// Only commands that touch provider credentials call this, so the rest of crm runs without a key.
    package static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> SecretBox {
        guard let text = nonEmpty(environment[keyVariable]) else {
            throw CRMError.configuration(
                "\(keyVariable) is not set: this command seals or opens provider credentials and needs it; "
                    + "generate one with `openssl rand -base64 32` and keep it with your backups."
            )
        }
        let key = try parseKey(text, variable: keyVariable)
        let previous = try nonEmpty(environment[previousKeyVariable]).map { try parseKey($0, variable: previousKeyVariable) }
        return SecretBox(key: key, previousKey: previous)
    }

    /// A new key as `CRM_SECRET_KEY` accepts it: 32 random bytes in standard, padded base64 (44 characters).
    package static func generateKeyText() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    // MARK: Sealing

    package func seal(_ plaintext: [UInt8], context: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(), authenticating: Self.authenticatedData(context))
        guard let combined = box.combined else {
            // Only a nonce of a size other than 12 bytes has no combined form, and ours is always 12.
            throw CRMError(.internal, "Sealing the credentials failed unexpectedly: please report this bug.")
        }
        return [Self.version] + Array(combined)
    }

    package func seal(_ text: String, context: String) throws -> [UInt8] {
        try seal(Array(text.utf8), context: context)
    }

    /// Opens with the current key, then with the previous one; any failure (wrong key or context,
    /// a truncated or altered value, an unknown version) is the same configuration error, since
    /// telling them apart would help nobody but someone probing the ciphertext.
    package func open(_ sealed: [UInt8], context: String) throws -> [UInt8] {
        guard sealed.count >= 1 + Self.nonceByteCount + Self.tagByteCount, sealed[0] == Self.version,
            let box = try? AES.GCM.SealedBox(combined: sealed[1...])
        else { throw Self.cannotOpen }
        let authenticated = Self.authenticatedData(context)
        for candidate in [key, previousKey].compactMap({ $0 }) {
            if let plaintext = try? AES.GCM.open(box, using: candidate, authenticating: authenticated) {
                return Array(plaintext)
            }
        }
        throw Self.cannotOpen
    }

    package func openString(_ sealed: [UInt8], context: String) throws -> String {
        guard let text = String(validating: try open(sealed, context: context), as: UTF8.self) else {
            throw CRMError(.internal, "The stored credentials are not text: please report this bug.")
        }
        return text
    }

    /// Opens with whichever key works and seals again with the current key: the rotation step.
    package func reseal(_ sealed: [UInt8], context: String) throws -> [UInt8] {
        try seal(open(sealed, context: context), context: context)
    }

    // MARK: Helpers

    private static let cannotOpen = CRMError.configuration(
        "The stored provider credentials cannot be opened with this \(keyVariable) (was the key changed?): "
            + "set the key they were sealed with, or re-run `crm whatsapp configure` to store them again."
    )

    /// The version byte is authenticated too, so a future format cannot be confused with this one.
    private static func authenticatedData(_ context: String) -> [UInt8] {
        [version] + Array(context.utf8)
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    /// 64 hex digits, or base64 in either alphabet with or without padding, decoding to exactly 32 bytes.
    /// Hex is tried first: no base64 text of 32 bytes is made only of an even number of hex digits.
    /// The message never repeats the value: it is a secret even when malformed.
    private static func parseKey(_ text: String, variable: String) throws -> SymmetricKey {
        guard let bytes = [UInt8](hexDigits: text) ?? base64Bytes(text), bytes.count == 32 else {
            throw CRMError.configuration(
                "\(variable) must be 32 random bytes in base64 or hex (64 hex digits): "
                    + "generate one with `openssl rand -base64 32`."
            )
        }
        return SymmetricKey(data: bytes)
    }

    private static func base64Bytes(_ text: String) -> [UInt8]? {
        let standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let padding = String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        return Data(base64Encoded: standard + padding).map(Array.init)
    }
}

extension [UInt8] {
    /// Decodes hex digits (either case, an even count); nil for anything else.
    init?(hexDigits text: String) {
        let digits = Array(text.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        self.init()
        reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Self.hexValue(digits[index]), let low = Self.hexValue(digits[index + 1]) else { return nil }
            append(high << 4 | low)
        }
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
