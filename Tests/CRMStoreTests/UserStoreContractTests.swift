import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

@Suite("User store contract")
struct UserStoreContractTests {
    let hasher = BcryptPasswordHasher(cost: 10)

    @Test("create, find case-insensitively, and refuse a duplicate email in any case", arguments: TestDatabaseKind.stores)
    func createAndFind(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            _ = try await UnitService(store: database.store).create(name: "Loja")
            let users = UserService(store: database.store, hasher: hasher)
            let ana = try await users.create(email: "Ana@Example.com", role: .unitAdmin, unit: "loja", name: "Ana", password: "correct horse")
            #expect(try await users.find("ana@EXAMPLE.com").id == ana.id)
            #expect(try await users.find(ana.id.uuidString).email == "Ana@Example.com")
            await #expect(throws: CRMError.self) {
                _ = try await users.create(email: "ANA@example.com", role: .agent, unit: "loja", name: nil, password: "password1")
            }
            // The index decides even when the service's check is bypassed.
            let twin = User(id: UUID(), unitId: nil, email: "ana@example.COM", name: nil, role: .superAdmin, disabledAt: nil, createdAt: Date(), updatedAt: Date())
            await #expect(throws: StoreError.self) { try await database.store.insertUser(twin, passwordHash: "x") }
            #expect(try await database.store.listUsers(unitId: nil, role: nil).count == 1)
        }
    }

    @Test("passwords are bcrypt-hashed with cost >= 10 and verified", arguments: TestDatabaseKind.stores)
    func passwords(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let users = UserService(store: database.store, hasher: hasher)
            let root = try await users.create(email: "root@example.com", role: .superAdmin, unit: nil, name: nil, password: "s3cret-pass")
            let hash = try #require(try await database.store.passwordHash(ofUser: root.id))
            #expect(hash.hasPrefix("$2"))
            #expect(!hash.contains("s3cret-pass"))
            let cost = Int(hash.split(separator: "$")[1])
            #expect((cost ?? 0) >= 10)
            #expect(try await users.verifyPassword(email: "ROOT@example.com", password: "s3cret-pass")?.id == root.id)
            #expect(try await users.verifyPassword(email: "root@example.com", password: "wrong-pass") == nil)
            #expect(try await users.verifyPassword(email: "nobody@example.com", password: "s3cret-pass") == nil)
            _ = try await users.setPassword("root@example.com", password: "another-pass")
            #expect(try await users.verifyPassword(email: "root@example.com", password: "another-pass") != nil)
            _ = try await users.setDisabled("root@example.com", true)
            #expect(try await users.verifyPassword(email: "root@example.com", password: "another-pass") == nil)
            await #expect(throws: CRMError.self) { _ = try await users.setPassword("root@example.com", password: "short") }
        }
    }

    @Test("roles and units: rules enforced by the service and by the database", arguments: TestDatabaseKind.stores)
    func rolesAndUnits(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let units = UnitService(store: database.store)
            _ = try await units.create(name: "Loja A")
            let b = try await units.create(name: "Loja B")
            let users = UserService(store: database.store, hasher: hasher)
            await #expect(throws: CRMError.self) {
                _ = try await users.create(email: "x@example.com", role: .agent, unit: nil, name: nil, password: "password1")
            }
            await #expect(throws: CRMError.self) {
                _ = try await users.create(email: "x@example.com", role: .superAdmin, unit: "loja-a", name: nil, password: "password1")
            }
            let agent = try await users.create(email: "agent@example.com", role: .agent, unit: "loja-a", name: nil, password: "password1")
            let epoch = try await sessionEpoch(database, agent.id)
            let promoted = try await users.setRole("agent@example.com", role: .unitAdmin, unit: nil)
            #expect(promoted.unitId == agent.unitId)
            #expect(try await sessionEpoch(database, agent.id) == epoch + 1)
            let moved = try await users.setRole("agent@example.com", role: .agent, unit: "loja-b")
            #expect(moved.unitId == b.id)
            let root = try await users.setRole("agent@example.com", role: .superAdmin, unit: nil)
            #expect(root.unitId == nil)
            #expect(try await users.list(unit: nil, role: .superAdmin).count == 1)
            #expect(try await users.list(unit: "loja-b", role: nil).isEmpty)

            // The CHECK constraint holds even if a caller skips the service.
            let orphan = User(id: UUID(), unitId: nil, email: "o@example.com", name: nil, role: .agent, disabledAt: nil, createdAt: Date(), updatedAt: Date())
            await #expect(throws: StoreError.self) { try await database.store.insertUser(orphan, passwordHash: "x") }
            let dangling = User(id: UUID(), unitId: UUID(), email: "d@example.com", name: nil, role: .agent, disabledAt: nil, createdAt: Date(), updatedAt: Date())
            await #expect(throws: StoreError.foreignKeyViolation) { try await database.store.insertUser(dangling, passwordHash: "x") }
        }
    }

    @Test("disable, enable and delete", arguments: TestDatabaseKind.stores)
    func lifecycle(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let users = UserService(store: database.store, hasher: hasher)
            let user = try await users.create(email: "z@example.com", role: .superAdmin, unit: nil, name: "Zé", password: "password1")
            #expect(try await users.setDisabled("z@example.com", true).isDisabled)
            #expect(try await users.find("z@example.com").isDisabled)
            #expect(try await !users.setDisabled("z@example.com", false).isDisabled)
            try await users.delete(user)
            await #expect(throws: CRMError.self) { _ = try await users.find("z@example.com") }
        }
    }

    private func sessionEpoch(_ database: CRMDatabase, _ id: UUID) async throws -> Int {
        try await database.withUnsafeSQL { sql in
            try await sql.raw("SELECT session_epoch FROM users WHERE id = \(bind: id)").first()!.decode(column: "session_epoch", as: Int.self)
        }
    }
}
