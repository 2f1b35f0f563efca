import Foundation

/// Sessions: the credentials a login checks, the session epoch an access token is checked against,
/// and refresh tokens (stored hashed, single use, revoked by family).
package protocol SessionStore: Sendable {
    /// The user with this email (any case), with its password hash and session epoch.
    func loginCredentials(email: String) async throws -> LoginCredentials?
    func sessionUser(id: UUID) async throws -> SessionUser?
    /// Stores a login's first refresh token: a new family, for `user` under its current epoch.
    func insertRefreshToken(_ token: NewRefreshToken, familyId: UUID, user: SessionUser) async throws
    /// In one transaction, on the locked row: reads the token with this hash and its user, applies
    /// `RefreshVerdict.of`, and acts on it: `rotate` marks the token used (a conditional update: of
    /// two callers racing with one token, one rotates and the other finds it reused) and stores
    /// `next` in its family; `reused` and `session_ended` revoke the whole family.
    func useRefreshToken(hash: String, next: NewRefreshToken, now: Date) async throws -> RefreshUse
    /// Revokes the family of the token with this hash (logout); `false` when no live token has it.
    func revokeRefreshFamily(hash: String, at date: Date) async throws -> Bool
}
