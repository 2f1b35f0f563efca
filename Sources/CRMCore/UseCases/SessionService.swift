import Foundation

/// Logins and their sessions: a password checked with bcrypt, a refresh token (random, stored
/// hashed, single use, rotated), and the check that an access token's user may still act. The
/// access token itself (a signed JWT) is the HTTP adapter's business: this service says who the
/// session is for and under which session epoch.
package struct SessionService: Sendable {
    /// Checks a password against a bcrypt hash. The listener runs it off the cooperative pool:
    /// a check at cost 12 takes a quarter of a second of CPU.
    package typealias PasswordCheck = @Sendable (_ password: String, _ hash: String) async -> Bool

    let store: any SessionStore
    let checkPassword: PasswordCheck
    /// A hash checked when the email is unknown, at the same cost as real ones, so that an unknown
    /// email takes as long to refuse as a wrong password.
    let decoyHash: String
    let refreshTokenLifetime: TimeInterval
    let now: @Sendable () -> Date

    package init(
        store: any SessionStore, checkPassword: @escaping PasswordCheck, decoyHash: String,
        refreshTokenLifetime: TimeInterval = 30 * 86_400, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.checkPassword = checkPassword
        self.decoyHash = decoyHash
        self.refreshTokenLifetime = refreshTokenLifetime
        self.now = now
    }

    /// A session handed to a client: whom it is for, and its refresh token (shown once, never stored).
    package struct Session: Sendable, Equatable {
        package var user: SessionUser
        package var refreshToken: String
        package var refreshExpiresAt: Date
    }

    /// Why a session was refused. Callers answer every case alike (401), so that none tells
    /// whether an email exists.
    package enum Refusal: Error, Sendable, Equatable {
        /// Unknown email, wrong password or disabled user.
        case invalidCredentials
        /// The refresh token cannot be used (the verdict says why; the log may, the client may not).
        case refreshRefused(RefreshVerdict)
    }

    /// Checks the password (bcrypt, whether the email exists or not) and opens a session.
    package func login(email: String, password: String) async throws -> Session {
        let credentials = try await store.loginCredentials(email: email)
        let matches = await checkPassword(password, credentials?.passwordHash ?? decoyHash)
        guard let credentials, matches, !credentials.user.user.isDisabled else { throw Refusal.invalidCredentials }
        let (token, draft) = newToken()
        try await store.insertRefreshToken(draft, familyId: UUID(), user: credentials.user)
        return Session(user: credentials.user, refreshToken: token, refreshExpiresAt: draft.expiresAt)
    }

    /// Exchanges a refresh token for its successor (the old one is spent). A token presented a
    /// second time revokes its whole family: the thief's copy and the owner's both stop working.
    package func refresh(_ token: String) async throws -> Session {
        guard SessionSecret.isWellFormed(token) else { throw Refusal.refreshRefused(.unknown) }
        let (next, draft) = newToken()
        switch try await store.useRefreshToken(hash: SessionSecret.hash(token), next: draft, now: now()) {
        case .rotated(let user):
            return Session(user: user, refreshToken: next, refreshExpiresAt: draft.expiresAt)
        case .refused(let verdict):
            throw Refusal.refreshRefused(verdict)
        }
    }

    /// Ends the session the refresh token belongs to (its whole family); `false` when it was not live.
    @discardableResult
    package func logout(_ token: String) async throws -> Bool {
        guard SessionSecret.isWellFormed(token) else { return false }
        return try await store.revokeRefreshFamily(hash: SessionSecret.hash(token), at: now())
    }

    /// The user an access token issued under `epoch` speaks for, or `nil` when it may no longer
    /// (deleted, disabled, or its role, unit or password changed since).
    package func currentUser(id: UUID, epoch: Int) async throws -> User? {
        guard let user = try await store.sessionUser(id: id), user.accepts(epoch: epoch) else { return nil }
        return user.user
    }

    private func newToken() -> (String, NewRefreshToken) {
        let token = SessionSecret.generate()
        let issued = now()
        return (token, NewRefreshToken(
            id: UUID(), tokenHash: SessionSecret.hash(token), issuedAt: issued, expiresAt: issued.addingTimeInterval(refreshTokenLifetime)))
    }
}
