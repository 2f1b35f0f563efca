import Foundation

/// Creating and managing users: roles, unit membership, passwords, disabling.
package struct UserService: Sendable {
    let store: any Store
    let hasher: any PasswordHasher
    let now: @Sendable () -> Date

    package init(store: any Store, hasher: any PasswordHasher, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.hasher = hasher
        self.now = now
    }

    var units: UnitService { UnitService(store: store, now: now) }

    /// Creates a user. unit_admin and agent need a unit; super_admin has none.
    package func create(
        email: String, role: Role, unit unitReference: String?, name: String?, password: String
    ) async throws -> User {
        let email = try EmailAddress.validate(email)
        let name = try name.map { try UnitSettings.validateName($0, what: "User name") }
        let unitId = try await resolveUnit(for: role, reference: unitReference)
        try PasswordPolicy.validate(password)
        let date = now()
        let user = User(
            id: UUID(), unitId: unitId, email: email, name: name, role: role, disabledAt: nil,
            createdAt: date, updatedAt: date
        )
        // Check first so that a duplicate does not cost a bcrypt hash; the unique index still decides.
        if try await store.user(email: email) != nil { throw duplicate(email) }
        do {
            try await store.insertUser(user, passwordHash: hasher.hash(password))
        } catch StoreError.uniqueViolation {
            throw duplicate(email)
        } catch StoreError.foreignKeyViolation {
            throw CRMError.notFound("The unit was deleted meanwhile: check it with 'crm units list'.")
        }
        return user
    }

    package func list(unit unitReference: String?, role: Role?) async throws -> [User] {
        var unitId: UUID?
        if let unitReference { unitId = try await units.find(unitReference).id }
        return try await store.listUsers(unitId: unitId, role: role)
    }

    /// Finds a user by id or email (case-insensitive).
    package func find(_ reference: String) async throws -> User {
        let text = reference.trimmingCharacters(in: .whitespaces)
        if let id = UUID(uuidString: text), let user = try await store.user(id: id) {
            return user
        }
        if text.contains("@"), let user = try await store.user(email: text) {
            return user
        }
        throw CRMError.notFound(
            "No user '\(reference.prefix(80))': check the id or email with 'crm users list'."
        )
    }

    /// Changes a user's role (and unit); ends its sessions.
    package func setRole(_ reference: String, role: Role, unit unitReference: String?) async throws -> User {
        var user = try await find(reference)
        let unitId: UUID?
        if role.needsUnit && unitReference == nil, let current = user.unitId {
            unitId = current  // an agent promoted to unit_admin stays in its unit
        } else {
            unitId = try await resolveUnit(for: role, reference: unitReference)
        }
        let date = now()
        guard try await store.updateRole(ofUser: user.id, role: role, unitId: unitId, at: date) else {
            throw CRMError.notFound("The user '\(user.email)' was deleted meanwhile.")
        }
        user.role = role
        user.unitId = unitId
        user.updatedAt = date
        return user
    }

    package func setPassword(_ reference: String, password: String) async throws -> User {
        var user = try await find(reference)
        try PasswordPolicy.validate(password)
        let date = now()
        guard try await store.updatePasswordHash(ofUser: user.id, hash: hasher.hash(password), at: date) else {
            throw CRMError.notFound("The user '\(user.email)' was deleted meanwhile.")
        }
        user.updatedAt = date
        return user
    }

    package func setDisabled(_ reference: String, _ disabled: Bool) async throws -> User {
        var user = try await find(reference)
        let date = now()
        let disabledAt = disabled ? (user.disabledAt ?? date) : nil
        guard try await store.setDisabled(ofUser: user.id, disabledAt: disabledAt, at: date) else {
            throw CRMError.notFound("The user '\(user.email)' was deleted meanwhile.")
        }
        user.disabledAt = disabledAt
        user.updatedAt = date
        return user
    }

    package func delete(_ user: User) async throws {
        guard try await store.deleteUser(id: user.id) else {
            throw CRMError.notFound("The user '\(user.email)' no longer exists.")
        }
    }

    /// Checks a password; false for an unknown email, a wrong password or a disabled user.
    /// The hash is computed even for an unknown email, so that timing does not reveal which emails exist.
    package func verifyPassword(email: String, password: String) async throws -> User? {
        let user = try await store.user(email: email)
        var hash: String?
        if let user { hash = try await store.passwordHash(ofUser: user.id) }
        let matches = hasher.verify(password, hash: hash ?? Self.decoyHash)
        guard let user, hash != nil, matches, !user.isDisabled else { return nil }
        return user
    }

    /// A bcrypt hash of a random string at the default cost, checked when the email is unknown.
    static let decoyHash = BcryptPasswordHasher().hash(UUID().uuidString)

    private func resolveUnit(for role: Role, reference: String?) async throws -> UUID? {
        switch (role.needsUnit, reference) {
        case (true, nil):
            throw CRMError.invalidInput("A \(role.rawValue) belongs to a unit: pass --unit UNIT (an id or a slug).")
        case (true, let reference?):
            return try await units.find(reference).id
        case (false, nil):
            return nil
        case (false, _?):
            throw CRMError.invalidInput("A super_admin belongs to no unit: leave out --unit.")
        }
    }

    private func duplicate(_ email: String) -> CRMError {
        CRMError.conflict("A user with the email '\(email)' already exists: use another email or 'crm users show'.")
    }
}
