import Foundation

/// Persistence of users and their password hashes.
package protocol UserStore: Sendable {
    /// Inserts a user; throws `StoreError.uniqueViolation` when the email is taken (case-insensitively).
    func insertUser(_ user: User, passwordHash: String) async throws
    /// Users, optionally of one unit and/or one role, ordered by email.
    func listUsers(unitId: UUID?, role: Role?) async throws -> [User]
    func user(id: UUID) async throws -> User?
    /// Looks a user up by email without regard to case.
    func user(email: String) async throws -> User?
    func passwordHash(ofUser id: UUID) async throws -> String?
    /// Changes role and unit together and ends the user's sessions; false when the user does not exist.
    func updateRole(ofUser id: UUID, role: Role, unitId: UUID?, at date: Date) async throws -> Bool
    /// Replaces the password hash and ends the user's sessions.
    func updatePasswordHash(ofUser id: UUID, hash: String, at date: Date) async throws -> Bool
    /// Disables (a date) or enables (nil) a user; disabling ends its sessions.
    func setDisabled(ofUser id: UUID, disabledAt: Date?, at date: Date) async throws -> Bool
    func deleteUser(id: UUID) async throws -> Bool
}

/// Everything the use cases persist. One adapter (CRMStore) implements it for SQLite and PostgreSQL.
package typealias Store = UnitStore & UserStore & ConnectionStore & WebhookEventStore & MessageWriteStore
