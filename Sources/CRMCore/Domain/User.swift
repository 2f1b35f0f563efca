import Foundation

/// A person who logs in to the CRM. The password hash is kept by the store, never by this value.
public struct User: Sendable, Equatable, Codable, Identifiable {
    public var id: UUID
    public var unitId: UUID?
    public var email: String
    public var name: String?
    public var role: Role
    public var disabledAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
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

    public var isDisabled: Bool { disabledAt != nil }
}
