import Crypto
import Foundation

/// `sha256=` + lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the app secret.
package enum MetaWebhookSignature {
    package static let header = "X-Hub-Signature-256"

    package static func sign(_ body: Data, appSecret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(appSecret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
