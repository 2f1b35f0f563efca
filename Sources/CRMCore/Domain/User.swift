import Foundation

/// A person who logs in to the CRM. The password hash is kept by the store, never by this value.
package struct User: Sendable, Equatable, Codable, Identifiable {
    package var id: UUID
    package var unitId: UUID?
    package var email: String
    package var name: String?
    package var role: Role
    package var disabledAt: Date?
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: UUID, unitId: UUID?, email: String, name: String?, role: Role, disabledAt: Date?,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.unitId = unitId
        self.email = email
        self.name = name
        self.role = role
        self.disabledAt = disabledAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    package var isDisabled: Bool { disabledAt != nil }
}
