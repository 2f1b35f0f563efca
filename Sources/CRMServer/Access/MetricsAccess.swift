import Crypto
import Foundation

/// Who may read `GET /metrics` (open by default, like /health): with a token, only requests that
/// bear it (`Authorization: Bearer …`, compared in constant time); loopback-only, only clients on
/// 127.0.0.0/8 or ::1. Both set: both must hold. Behind a reverse proxy every client looks like
/// loopback, so use the token there.
package struct MetricsAccess: Sendable {
    package static let tokenVariable = "CRM_METRICS_TOKEN"
    package static let loopbackVariable = "CRM_METRICS_LOOPBACK_ONLY"

    let tokenDigest: [UInt8]?
    package let loopbackOnly: Bool

    package static let open = MetricsAccess(token: nil, loopbackOnly: false)

    package init(token: String?, loopbackOnly: Bool) {
        tokenDigest = token.flatMap { $0.isEmpty ? nil : Array(SHA256.hash(data: Data($0.utf8))) }
        self.loopbackOnly = loopbackOnly
    }

    package var isOpen: Bool { tokenDigest == nil && !loopbackOnly }

    enum Verdict: Equatable {
        case allowed
        /// No token, or the wrong one: 401.
        case unauthorized
        /// Not from loopback: 403.
        case forbidden
    }

    func check(authorization: String?, clientAddress: String) -> Verdict {
        if loopbackOnly && !Self.isLoopback(clientAddress) { return .forbidden }
        guard let tokenDigest else { return .allowed }
        guard let authorization, authorization.count > 7, authorization.prefix(7).lowercased() == "bearer " else { return .unauthorized }
        let presented = Array(SHA256.hash(data: Data(authorization.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8)))
        // Digests of equal length, compared without an early exit.
        var difference: UInt8 = 0
        for (a, b) in zip(presented, tokenDigest) { difference |= a ^ b }
        return difference == 0 ? .allowed : .unauthorized
    }

    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }
}
