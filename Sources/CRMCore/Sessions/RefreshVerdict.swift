import Foundation

/// What presenting a refresh token leads to, decided by `RefreshVerdict.of` on the stored row.
package enum RefreshVerdict: String, Sendable, Hashable {
    /// Valid: mark it used and issue its successor in the same family.
    case rotate
    /// Never issued (or its user was deleted).
    case unknown
    /// Its family was revoked (logout, an earlier reuse, a session that ended).
    case revoked
    /// Already exchanged once: someone holds a copy. Revoke the whole family.
    case reused
    /// The user was disabled, or its role, unit or password changed since the login. Revoke the family.
    case sessionEnded = "session_ended"
    case expired

    /// Whether the store revokes the token's whole family along with refusing it.
    package var revokesFamily: Bool { self == .reused || self == .sessionEnded }

    /// The rules, in the order that matters: a revoked token stays revoked (its family is already
    /// gone); a second use is theft even when the token has expired meanwhile; a session that ended
    /// ends every token of the family; only then does expiry count.
    package static func of(_ token: StoredRefreshToken?, user: SessionUser?, now: Date) -> RefreshVerdict {
        guard let token else { return .unknown }
        if token.revokedAt != nil { return .revoked }
        if token.usedAt != nil { return .reused }
        guard let user, user.user.id == token.userId else { return .unknown }
        guard user.accepts(epoch: token.sessionEpoch) else { return .sessionEnded }
        if token.expiresAt <= now { return .expired }
        return .rotate
    }
}

/// A refresh token's outcome in the store.
package enum RefreshUse: Sendable, Equatable {
    /// The token was exchanged: its successor was stored for this user.
    case rotated(SessionUser)
    /// Refused for this reason (and, for `reused` and `session_ended`, its family revoked).
    case refused(RefreshVerdict)
}
