import Foundation

/// A refresh token as stored: only its SHA-256 is kept (`token_hash`), with the login it descends
/// from (`familyId`: every rotation of one login shares it) and the user's session epoch when the
/// login happened.
package struct StoredRefreshToken: Sendable, Equatable {
    package var id: UUID
    package var userId: UUID
    package var familyId: UUID
    package var sessionEpoch: Int
    package var issuedAt: Date
    package var expiresAt: Date
    /// When it was exchanged for its successor; a second use is theft (`RefreshVerdict.reused`).
    package var usedAt: Date?
    /// When its family was revoked (logout, reuse, the session ended).
    package var revokedAt: Date?

    package init(
        id: UUID, userId: UUID, familyId: UUID, sessionEpoch: Int, issuedAt: Date, expiresAt: Date, usedAt: Date?, revokedAt: Date?
    ) {
        self.id = id
        self.userId = userId
        self.familyId = familyId
        self.sessionEpoch = sessionEpoch
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.revokedAt = revokedAt
    }
}

/// A refresh token to store: a login's first (a new family) or a rotation's successor.
package struct NewRefreshToken: Sendable, Equatable {
    package var id: UUID
    package var tokenHash: String
    package var issuedAt: Date
    package var expiresAt: Date

    package init(id: UUID, tokenHash: String, issuedAt: Date, expiresAt: Date) {
        self.id = id
        self.tokenHash = tokenHash
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}

/// A user as its sessions see it: the account and its session epoch, which the store bumps when
/// the user is disabled or its role, unit or password changes. Tokens carry the epoch they were
/// issued under; one that no longer matches is refused.
package struct SessionUser: Sendable, Equatable {
    package var user: User
    package var sessionEpoch: Int

    package init(user: User, sessionEpoch: Int) {
        self.user = user
        self.sessionEpoch = sessionEpoch
    }

    /// Whether a token issued under `epoch` still speaks for this user.
    package func accepts(epoch: Int) -> Bool {
        !user.isDisabled && sessionEpoch == epoch
    }
}

/// What a login needs of a user: the account, its bcrypt hash and its session epoch.
package struct LoginCredentials: Sendable, Equatable {
    package var user: SessionUser
    package var passwordHash: String

    package init(user: SessionUser, passwordHash: String) {
        self.user = user
        self.passwordHash = passwordHash
    }
}
