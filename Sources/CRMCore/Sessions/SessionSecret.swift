/// Refresh tokens are secrets of the same kind as webhook secrets: 32 random bytes as base64url
/// (43 characters), stored as their SHA-256 only. A plain hash suffices for 256 bits of entropy.
package enum SessionSecret {
    package static func generate() -> String { WebhookSecret.generate() }
    package static func hash(_ token: String) -> String { WebhookSecret.hash(token) }
    /// Lets the API refuse garbage without a database round trip.
    package static func isWellFormed(_ token: String) -> Bool { WebhookSecret.isWellFormed(token) }
}
