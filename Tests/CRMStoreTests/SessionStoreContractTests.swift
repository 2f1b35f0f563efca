import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

/// Sessions through `SessionService` on each database: logins, refresh rotation, reuse revoking
/// a family, logout, and the session epoch that disabling or changing a user bumps.
@Suite("Session store contract")
struct SessionStoreContractTests {
    let hasher = BcryptPasswordHasher(cost: 10)

    func sessions(_ database: CRMDatabase, now: @escaping @Sendable () -> Date = { Date() }) -> SessionService {
        let hasher = hasher
        return SessionService(
            store: database.store, checkPassword: { hasher.verify($0, hash: $1) }, decoyHash: hasher.hash("decoy"),
            refreshTokenLifetime: 3600, now: now)
    }

    func seed(_ database: CRMDatabase) async throws -> User {
        _ = try await UnitService(store: database.store).create(name: "Loja")
        return try await UserService(store: database.store, hasher: hasher)
            .create(email: "Ana@Example.com", role: .agent, unit: "loja", name: "Ana", password: "correct horse")
    }

    @Test("a login checks the password and stores only the refresh token's hash", arguments: TestDatabaseKind.stores)
    func login(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let ana = try await seed(database)
            let service = sessions(database)
            let session = try await service.login(email: "ana@EXAMPLE.com", password: "correct horse")
            #expect(session.user.user.id == ana.id && session.user.sessionEpoch == 0)
            #expect(SessionSecret.isWellFormed(session.refreshToken))
            let stored = try await database.withUnsafeSQL { sql in
                try await sql.raw("SELECT token_hash, session_epoch FROM refresh_tokens").all()
            }
            #expect(stored.count == 1)
            #expect(try stored[0].decode(column: "token_hash", as: String.self) == SessionSecret.hash(session.refreshToken))
            for (email, password) in [("ana@example.com", "wrong horse"), ("nobody@example.com", "correct horse")] {
                await #expect(throws: SessionService.Refusal.invalidCredentials) {
                    _ = try await service.login(email: email, password: password)
                }
            }
            _ = try await UserService(store: database.store, hasher: hasher).setDisabled("ana@example.com", true)
            await #expect(throws: SessionService.Refusal.invalidCredentials) {
                _ = try await service.login(email: "ana@example.com", password: "correct horse")
            }
        }
    }

    @Test("refresh rotates once; presenting a spent token revokes the whole family", arguments: TestDatabaseKind.stores)
    func rotationAndReuse(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            _ = try await seed(database)
            let service = sessions(database)
            let first = try await service.login(email: "ana@example.com", password: "correct horse")
            let other = try await service.login(email: "ana@example.com", password: "correct horse")  // another device
            let second = try await service.refresh(first.refreshToken)
            #expect(second.refreshToken != first.refreshToken)
            let third = try await service.refresh(second.refreshToken)
            // The thief replays the first token: refused, and the family (third included) is revoked.
            await #expect(throws: SessionService.Refusal.refreshRefused(.reused)) { _ = try await service.refresh(first.refreshToken) }
            await #expect(throws: SessionService.Refusal.refreshRefused(.revoked)) { _ = try await service.refresh(third.refreshToken) }
            // The other device's login is another family: untouched.
            _ = try await service.refresh(other.refreshToken)
            await #expect(throws: SessionService.Refusal.refreshRefused(.unknown)) { _ = try await service.refresh("garbage") }
            await #expect(throws: SessionService.Refusal.refreshRefused(.unknown)) {
                _ = try await service.refresh(SessionSecret.generate())
            }
        }
    }

    @Test("two refreshes racing with one token: one rotates, the family is then revoked", arguments: TestDatabaseKind.stores)
    func racingRefreshes(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            _ = try await seed(database)
            let service = sessions(database)
            let login = try await service.login(email: "ana@example.com", password: "correct horse")
            let results = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 { group.addTask { (try? await service.refresh(login.refreshToken)) != nil } }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            let live = try await database.withUnsafeSQL { sql in
                try await sql.raw("SELECT count(*) AS n FROM refresh_tokens WHERE revoked_at IS NULL").first()?.decode(column: "n", as: Int.self)
            }
            #expect(live == 0, "the losers presented a spent token: the family is revoked")
        }
    }

    @Test("logout revokes the family; expiry; a disabled or changed user's sessions end", arguments: TestDatabaseKind.stores)
    func logoutExpiryAndEpoch(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let ana = try await seed(database)
            let clock = TestClock(Date())
            let service = sessions(database, now: clock.now)
            let users = UserService(store: database.store, hasher: hasher)

            let session = try await service.login(email: "ana@example.com", password: "correct horse")
            let rotated = try await service.refresh(session.refreshToken)
            #expect(try await service.logout(rotated.refreshToken))
            #expect(try await service.logout(rotated.refreshToken) == false)
            await #expect(throws: SessionService.Refusal.refreshRefused(.revoked)) { _ = try await service.refresh(rotated.refreshToken) }

            let aging = try await service.login(email: "ana@example.com", password: "correct horse")
            clock.advance(3601)
            await #expect(throws: SessionService.Refusal.refreshRefused(.expired)) { _ = try await service.refresh(aging.refreshToken) }

            let live = try await service.login(email: "ana@example.com", password: "correct horse")
            #expect(try await service.currentUser(id: ana.id, epoch: 0)?.id == ana.id)
            _ = try await users.setRole("ana@example.com", role: .unitAdmin, unit: nil)
            #expect(try await service.currentUser(id: ana.id, epoch: 0) == nil, "the role changed: epoch 0 is over")
            #expect(try await service.currentUser(id: ana.id, epoch: 1)?.role == .unitAdmin)
            await #expect(throws: SessionService.Refusal.refreshRefused(.sessionEnded)) { _ = try await service.refresh(live.refreshToken) }

            let again = try await service.login(email: "ana@example.com", password: "correct horse")
            #expect(again.user.sessionEpoch == 1)
            _ = try await users.setDisabled("ana@example.com", true)
            #expect(try await service.currentUser(id: ana.id, epoch: 2) == nil, "disabled")
            await #expect(throws: SessionService.Refusal.refreshRefused(.sessionEnded)) { _ = try await service.refresh(again.refreshToken) }
            #expect(try await service.currentUser(id: UUID(), epoch: 0) == nil)
        }
    }
}
