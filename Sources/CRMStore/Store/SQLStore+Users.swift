import CRMCore
import Foundation
import SQLKit

extension SQLStore: UserStore {
    static let userColumns = "id, unit_id, email, name, role, disabled_at, created_at, updated_at"

    package func insertUser(_ user: User, passwordHash: String) async throws {
        try await driver.transaction { sql in
            try await sql.raw("""
                INSERT INTO users (id, unit_id, email, name, password_hash, role, disabled_at, created_at, updated_at)
                VALUES (\(bind: user.id), \(bind: user.unitId), \(bind: user.email), \(bind: user.name),
                        \(bind: passwordHash), \(bind: user.role.rawValue), \(bind: user.disabledAt),
                        \(bind: user.createdAt), \(bind: user.updatedAt))
                """).run()
        }
    }

    package func listUsers(unitId: UUID?, role: Role?) async throws -> [User] {
        let users = try await driver.read { sql in
            var query = sql.select().column(SQLRaw(Self.userColumns)).from("users")
            if let unitId { query = query.where("unit_id", .equal, unitId) }
            if let role { query = query.where("role", .equal, role.rawValue) }
            return try await query.all().map(Self.user(from:))
        }
        return users.map { (key: $0.email.lowercased(), user: $0) }.sorted { $0.key < $1.key }.map(\.user)
    }

    package func user(id: UUID) async throws -> User? {
        try await driver.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE id = \(bind: id)").first()
                .map(Self.user(from:))
        }
    }

    package func user(email: String) async throws -> User? {
        try await driver.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE lower(email) = lower(\(bind: email))")
                .first().map(Self.user(from:))
        }
    }

    package func passwordHash(ofUser id: UUID) async throws -> String? {
        try await driver.read { sql in
            try await sql.raw("SELECT password_hash FROM users WHERE id = \(bind: id)").first()?
                .decode(column: "password_hash", as: String.self)
        }
    }

    package func updateRole(ofUser id: UUID, role: Role, unitId: UUID?, at date: Date) async throws -> Bool {
        try await driver.transaction { sql in
            try await sql.raw("""
                UPDATE users SET role = \(bind: role.rawValue), unit_id = \(bind: unitId),
                    session_epoch = session_epoch + 1, updated_at = \(bind: date)
                WHERE id = \(bind: id) RETURNING id
                """).first() != nil
        }
    }

    package func updatePasswordHash(ofUser id: UUID, hash: String, at date: Date) async throws -> Bool {
        try await driver.transaction { sql in
            try await sql.raw("""
                UPDATE users SET password_hash = \(bind: hash), session_epoch = session_epoch + 1, updated_at = \(bind: date)
                WHERE id = \(bind: id) RETURNING id
                """).first() != nil
        }
    }

    package func setDisabled(ofUser id: UUID, disabledAt: Date?, at date: Date) async throws -> Bool {
        try await driver.transaction { sql in
            try await sql.raw("""
                UPDATE users SET disabled_at = \(bind: disabledAt), session_epoch = session_epoch + 1,
                    updated_at = \(bind: date)
                WHERE id = \(bind: id) RETURNING id
                """).first() != nil
        }
    }

    package func deleteUser(id: UUID) async throws -> Bool {
        try await driver.transaction { sql in
            try await sql.raw("DELETE FROM users WHERE id = \(bind: id) RETURNING id").first() != nil
        }
    }

    static func user(from row: any SQLRow) throws -> User {
        let roleText = try row.decode(column: "role", as: String.self)
        guard let role = Role(rawValue: roleText) else {
            throw CRMError(.internal, "A user row holds an unknown role: run 'crm db migrate' with a current crm.")
        }
        return User(
            id: try row.uuid("id"),
            unitId: try row.decodeNil(column: "unit_id") ? nil : row.uuid("unit_id"),
            email: try row.decode(column: "email", as: String.self),
            name: try row.optional("name", as: String.self),
            role: role,
            disabledAt: try row.optional("disabled_at", as: Date.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self)
        )
    }
}
