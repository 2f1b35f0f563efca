import CRMCore
import Foundation
import JWTKit

/// Access tokens: JWT HS256 (jwt-kit), signed with JWT_ACCESS_SECRET. They carry the user, its
/// role and unit, and the session epoch they were issued under; the API checks the epoch against
/// the user's current one on every request, so that disabling a user or changing its role ends
/// its tokens at once rather than when they expire.
package struct AccessTokens: Sendable {
    static let issuer = "crm"

    /// The claims. `exp` is checked by `verify` against the injected clock, not by jwt-kit's.
    package struct Claims: JWTPayload, Equatable {
        package var sub: SubjectClaim
        package var iss: IssuerClaim
        package var iat: IssuedAtClaim
        package var exp: ExpirationClaim
        package var role: String
        package var unitId: String?
        /// The user's session epoch when the token was issued.
        package var sessionEpoch: Int

        package func verify(using algorithm: some JWTAlgorithm) async throws {
            guard iss.value == AccessTokens.issuer else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer") }
        }
    }

    /// Why a bearer token was refused.
    package enum Refusal: Error, Equatable {
        /// Not a JWT, a bad signature, another algorithm or issuer, malformed claims.
        case invalid
        case expired
    }

    let keys: JWTKeyCollection
    package let lifetime: TimeInterval
    let now: @Sendable () -> Date

    package init(secret: String, lifetime: TimeInterval, now: @escaping @Sendable () -> Date = { Date() }) async {
        // Only HS256 with this key: a token with `alg: none`, another algorithm or a `kid` is refused.
        keys = await JWTKeyCollection().add(hmac: HMACKey(from: Array(secret.utf8)), digestAlgorithm: .sha256)
        self.lifetime = lifetime
        self.now = now
    }

    /// A token for `user` under `epoch`, and when it expires.
    package func issue(for user: User, epoch: Int) async throws -> (token: String, expiresAt: Date) {
        let issued = now()
        // Whole seconds, as JWT dates are, rounded up: a token lasts at least its lifetime.
        let expires = Date(timeIntervalSince1970: (issued.timeIntervalSince1970 + lifetime).rounded(.up))
        let claims = Claims(
            sub: SubjectClaim(value: user.id.uuidString.lowercased()), iss: IssuerClaim(value: Self.issuer),
            iat: IssuedAtClaim(value: Date(timeIntervalSince1970: issued.timeIntervalSince1970.rounded(.down))),
            exp: ExpirationClaim(value: expires), role: user.role.rawValue, unitId: user.unitId?.uuidString.lowercased(),
            sessionEpoch: epoch
        )
        return (try await keys.sign(claims), expires)
    }

    /// The user id and session epoch a valid, unexpired token carries.
    package func verify(_ token: String) async throws(Refusal) -> (userId: UUID, epoch: Int) {
        // A JWT of ours is a few hundred bytes; anything far larger is not one.
        guard token.utf8.count <= 4_096 else { throw .invalid }
        let claims: Claims
        do {
            claims = try await keys.verify(token, as: Claims.self)
        } catch {
            throw .invalid
        }
        guard claims.exp.value > now() else { throw .expired }
        guard let userId = UUID(uuidString: claims.sub.value) else { throw .invalid }
        return (userId, claims.sessionEpoch)
    }
}
