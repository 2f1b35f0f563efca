import Crypto
import Foundation

/// Meta signs each webhook body with the app secret: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>`.
/// Checked on the raw bytes, before parsing, in constant time.
package enum MetaSignature {
    package static let header = "X-Hub-Signature-256"

    /// Whether `header` is the signature of `body` with the connection's app secret.
    static func verify(body: Data, header: String?, connection: WhatsAppConnection, box: () throws -> SecretBox) throws -> Bool {
        guard let header, header.hasPrefix("sha256="), let expected = [UInt8](hexDigits: String(header.dropFirst(7))),
              expected.count == SHA256.byteCount else { return false }
        guard case .meta(let credentials) = try ConnectionSecrets.settings(of: connection, unitSlug: "", box: box) else {
            return false
        }
        return matches(body: body, appSecret: credentials.appSecret, signature: expected)
    }

    package static func matches(body: Data, appSecret: String, signature: [UInt8]) -> Bool {
        let key = SymmetricKey(data: Data(appSecret.utf8))
        return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: body, using: key)
    }

    /// `sha256=<hex>` for `body`.
    package static func sign(body: Data, appSecret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(appSecret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
