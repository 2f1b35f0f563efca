import Foundation

/// Who is asking: a signed-in user as its session knows it. `unitId` is `nil` for a super admin
/// and set for every other role (the users table enforces it).
package struct Principal: Sendable, Hashable {
    package var userId: UUID
    package var role: Role
    package var unitId: UUID?

    package init(userId: UUID, role: Role, unitId: UUID?) {
        self.userId = userId
        self.role = role
        self.unitId = unitId
    }

    package init(_ user: User) {
        self.init(userId: user.id, role: user.role, unitId: user.unitId)
    }
}
