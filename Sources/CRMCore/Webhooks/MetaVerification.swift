import Foundation

/// Meta's webhook verification: `GET <callback>?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`
/// is answered with the challenge only when the token is the unit's verify token.
package struct MetaVerification: Sendable {
    let ingestion: WebhookIngestion

    package init(ingestion: WebhookIngestion) {
        self.ingestion = ingestion
    }

    /// The challenge to echo, or `nil` (403): unknown URL, not a Meta unit, wrong mode or token.
    package func answer(secret: String, mode: String?, verifyToken: String?, challenge: String?) async throws -> String? {
        guard mode == "subscribe", let verifyToken, let challenge, !challenge.isEmpty, challenge.utf8.count <= 256,
              let connection = try await ingestion.connection(forSecret: secret), connection.provider == .meta,
              case .meta(let credentials) = try ConnectionSecrets.settings(of: connection, unitSlug: "", box: ingestion.secretBox)
        else { return nil }
        return Self.constantTimeEquals(verifyToken, credentials.verifyToken) ? challenge : nil
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }
}
