import Foundation

/// The roles policy, in one place: who may do what, to which unit.
///
/// - super_admin: everything, in every unit.
/// - unit_admin: everything in its own unit (messages, sending, connections, campaigns, its unit's
///   users other than super admins); not units themselves.
/// - agent: its own unit's messages, conversations and contacts, and sending.
///
/// Another unit's data is `notFound`; a forbidden action on the caller's own unit is `forbidden`.
package enum AccessPolicy {
    /// What each unit-bound role may do in its own unit.
    static let ownUnitActions: [Role: Set<AccessAction>] = [
        .unitAdmin: [.readUnit, .readMessages, .sendMessages, .manageConnections, .manageCampaigns, .manageUsers],
        .agent: [.readUnit, .readMessages, .sendMessages],
    ]

    /// May `principal` do `action` in `unit`? `unit` is `nil` for a request about no one unit
    /// (every unit's data, creating a unit): only super admins may make one.
    package static func decide(_ principal: Principal, _ action: AccessAction, in unit: UUID?) -> AccessDecision {
        if principal.role == .superAdmin { return .allowed }
        guard let own = principal.unitId else { return .notFound }  // a unit-bound role without a unit sees nothing
        guard let unit else { return .forbidden }
        guard unit == own else { return .notFound }
        return ownUnitActions[principal.role, default: []].contains(action) ? .allowed : .forbidden
    }

    /// May `principal` see or change `target` (a user with that role and unit)? A super admin
    /// managed by anyone else, or a user of another unit, is `notFound`.
    package static func user(_ principal: Principal, target role: Role, unit: UUID?) -> AccessDecision {
        if principal.role == .superAdmin { return .allowed }
        if role == .superAdmin { return .notFound }
        return decide(principal, .manageUsers, in: unit)
    }

    /// May `principal` give `role` (creating a user or changing one's role)? Only super admins
    /// make super admins; a unit admin gives unit_admin or agent in its own unit.
    package static func grant(_ principal: Principal, role: Role, in unit: UUID?) -> AccessDecision {
        if principal.role == .superAdmin { return .allowed }
        let decision = decide(principal, .manageUsers, in: unit)
        guard decision == .allowed else { return decision }
        return role == .superAdmin ? .forbidden : .allowed
    }

    /// The unit a request is about: the one asked for, or, when none is, the caller's own (unit-bound
    /// roles). `nil` when neither is known (a super admin who named no unit).
    package static func unit(for principal: Principal, requested: UUID?) -> UUID? {
        requested ?? principal.unitId
    }
}
