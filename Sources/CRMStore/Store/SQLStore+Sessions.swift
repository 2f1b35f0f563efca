import CRMCore
import Foundation
import SQLKit

/// Sessions of the HTTP API: login credentials, the session epoch, refresh tokens. A refresh is
/// decided on the locked token row (`FOR UPDATE` on PostgreSQL, the write lock on SQLite) by
/// CRMCore's `RefreshVerdict.of`, and spent with a conditional update: a token rotates once.
extension SQLStore: SessionStore {
    static let refreshTokenColumns = "id, user_id, family_id, session_epoch, issued_at, expires_at, used_at, revoked_at"

    package func loginCredentials(email: String) async throws -> LoginCredentials? {
        try await driver.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.userColumns), session_epoch, password_hash FROM users WHERE lower(email) = lower(\(bind: email))
                """).first().map { row in
                LoginCredentials(user: try Self.sessionUser(from: row), passwordHash: try row.decode(column: "password_hash", as: String.self))
            }
        }
    }

    package func sessionUser(id: UUID) async throws -> SessionUser? {
        try await driver.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.userColumns), session_epoch FROM users WHERE id = \(bind: id)").first()
                .map(Self.sessionUser(from:))
        }
    }

    package func insertRefreshToken(_ token: NewRefreshToken, familyId: UUID, user: SessionUser) async throws {
        try await driver.transaction { sql in
            // The user's expired tokens go on each login, so that the table does not grow with them.
            try await sql.raw("""
                DELETE FROM refresh_tokens WHERE user_id = \(bind: user.user.id) AND expires_at < \(bind: token.issuedAt)
                """).run()
            try await Self.insert(token, familyId: familyId, userId: user.user.id, epoch: user.sessionEpoch, sql)
        }
    }

    package func useRefreshToken(hash: String, next: NewRefreshToken, now: Date) async throws -> RefreshUse {
        try await driver.transaction { sql in
            let lock: SQLQueryString = dialect == .postgres ? "FOR UPDATE" : ""
            let token = try await sql.raw("""
                SELECT \(unsafeRaw: Self.refreshTokenColumns) FROM refresh_tokens WHERE token_hash = \(bind: hash) \(lock)
                """).first().map(Self.refreshToken(from:))
            var user: SessionUser?
            if let token {
                user = try await sql.raw("SELECT \(unsafeRaw: Self.userColumns), session_epoch FROM users WHERE id = \(bind: token.userId)")
                    .first().map(Self.sessionUser(from:))
            }
            let verdict = RefreshVerdict.of(token, user: user, now: now)
            guard let token, let user, verdict == .rotate else {
                if let token, verdict.revokesFamily { try await Self.revokeFamily(token.familyId, at: now, sql) }
                return .refused(verdict)
            }
            let spent = try await sql.raw("""
                UPDATE refresh_tokens SET used_at = \(bind: now), replaced_by = \(bind: next.id)
                WHERE id = \(bind: token.id) AND used_at IS NULL AND revoked_at IS NULL RETURNING id
                """).first() != nil
            guard spent else {
                try await Self.revokeFamily(token.familyId, at: now, sql)
                return .refused(.reused)
            }
            try await Self.insert(next, familyId: token.familyId, userId: user.user.id, epoch: user.sessionEpoch, sql)
            return .rotated(user)
        }
    }

    package func revokeRefreshFamily(hash: String, at date: Date) async throws -> Bool {
        try await driver.transaction { sql in
            guard let row = try await sql.raw("""
                SELECT family_id FROM refresh_tokens WHERE token_hash = \(bind: hash) AND revoked_at IS NULL
                """).first()
            else { return false }
            try await Self.revokeFamily(try row.uuid("family_id"), at: date, sql)
            return true
        }
    }

    private static func insert(_ token: NewRefreshToken, familyId: UUID, userId: UUID, epoch: Int, _ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, session_epoch, issued_at, expires_at)
            VALUES (\(bind: token.id), \(bind: userId), \(bind: familyId), \(bind: token.tokenHash), \(bind: epoch),
                    \(bind: token.issuedAt), \(bind: token.expiresAt))
            """).run()
    }

    private static func revokeFamily(_ familyId: UUID, at date: Date, _ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE refresh_tokens SET revoked_at = \(bind: date) WHERE family_id = \(bind: familyId) AND revoked_at IS NULL
            """).run()
    }

    static func sessionUser(from row: any SQLRow) throws -> SessionUser {
        SessionUser(user: try user(from: row), sessionEpoch: try row.decode(column: "session_epoch", as: Int.self))
    }

    static func refreshToken(from row: any SQLRow) throws -> StoredRefreshToken {
        StoredRefreshToken(
            id: try row.uuid("id"), userId: try row.uuid("user_id"), familyId: try row.uuid("family_id"),
            sessionEpoch: try row.decode(column: "session_epoch", as: Int.self),
            issuedAt: try row.decode(column: "issued_at", as: Date.self), expiresAt: try row.decode(column: "expires_at", as: Date.self),
            usedAt: try row.optional("used_at"), revokedAt: try row.optional("revoked_at")
        )
    }
}
