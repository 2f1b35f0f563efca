import CRMCore
import Foundation
import Testing

/// The roles policy: every role × every action × own unit / another unit / no one unit, against a
/// table written out by hand (not derived from the policy's own sets).
@Suite("Access policy")
struct AccessPolicyTests {
    static let own = UUID()
    static let other = UUID()

    enum Target: String, CaseIterable {
        case ownUnit = "own unit"
        case otherUnit = "other unit"
        case noUnit = "no unit"

        var unit: UUID? {
            switch self {
            case .ownUnit: AccessPolicyTests.own
            case .otherUnit: AccessPolicyTests.other
            case .noUnit: nil
            }
        }
    }

    static func principal(_ role: Role) -> Principal {
        Principal(userId: UUID(), role: role, unitId: role == .superAdmin ? nil : own)
    }

    /// What each role may do in its own unit, by hand.
    static let expectedOwn: [Role: [AccessAction: AccessDecision]] = [
        .superAdmin: [
            .readUnit: .allowed, .readMessages: .allowed, .sendMessages: .allowed, .manageConnections: .allowed, .manageCampaigns: .allowed,
            .manageUsers: .allowed, .manageUnits: .allowed,
        ],
        .unitAdmin: [
            .readUnit: .allowed, .readMessages: .allowed, .sendMessages: .allowed, .manageConnections: .allowed, .manageCampaigns: .allowed,
            .manageUsers: .allowed, .manageUnits: .forbidden,
        ],
        .agent: [
            .readUnit: .allowed, .readMessages: .allowed, .sendMessages: .allowed, .manageConnections: .forbidden, .manageCampaigns: .forbidden,
            .manageUsers: .forbidden, .manageUnits: .forbidden,
        ],
    ]

    static func expected(_ role: Role, _ action: AccessAction, _ target: Target) -> AccessDecision {
        if role == .superAdmin { return .allowed }
        switch target {
        case .ownUnit: return expectedOwn[role]![action]!
        case .otherUnit: return .notFound  // never reveals that the other unit exists, whatever the action
        case .noUnit: return .forbidden  // every unit's data, or a new unit: super admins only
        }
    }

    @Test("the full matrix", arguments: Role.allCases, AccessAction.allCases)
    func matrix(role: Role, action: AccessAction) {
        let principal = Self.principal(role)
        for target in Target.allCases {
            #expect(
                AccessPolicy.decide(principal, action, in: target.unit) == Self.expected(role, action, target),
                "\(role.rawValue) \(action.rawValue) in \(target.rawValue)")
        }
    }

    @Test func aUnitBoundRoleWithoutAUnitSeesNothing() {
        for role in [Role.unitAdmin, .agent] {
            let broken = Principal(userId: UUID(), role: role, unitId: nil)
            for action in AccessAction.allCases {
                #expect(AccessPolicy.decide(broken, action, in: Self.own) == .notFound)
            }
        }
    }

    @Test("managing users: super admins are out of reach of unit admins; other units are not found")
    func users() {
        let admin = Self.principal(.unitAdmin)
        let agent = Self.principal(.agent)
        let root = Self.principal(.superAdmin)
        for role in Role.allCases {
            let unit = role == .superAdmin ? nil : Self.own
            #expect(AccessPolicy.user(root, target: role, unit: unit) == .allowed)
            #expect(AccessPolicy.user(admin, target: role, unit: unit) == (role == .superAdmin ? .notFound : .allowed))
            #expect(AccessPolicy.user(agent, target: role, unit: unit) == (role == .superAdmin ? .notFound : .forbidden))
            if role != .superAdmin {
                #expect(AccessPolicy.user(admin, target: role, unit: Self.other) == .notFound)
                #expect(AccessPolicy.user(agent, target: role, unit: Self.other) == .notFound)
            }
        }
    }

    @Test("granting a role: only super admins make super admins")
    func grants() {
        let admin = Self.principal(.unitAdmin)
        #expect(AccessPolicy.grant(admin, role: .agent, in: Self.own) == .allowed)
        #expect(AccessPolicy.grant(admin, role: .unitAdmin, in: Self.own) == .allowed)
        #expect(AccessPolicy.grant(admin, role: .superAdmin, in: Self.own) == .forbidden)
        #expect(AccessPolicy.grant(admin, role: .agent, in: Self.other) == .notFound)
        #expect(AccessPolicy.grant(Self.principal(.agent), role: .agent, in: Self.own) == .forbidden)
        #expect(AccessPolicy.grant(Self.principal(.superAdmin), role: .superAdmin, in: nil) == .allowed)
    }

    @Test func theRequestedUnitOrTheCallersOwn() {
        let agent = Self.principal(.agent)
        #expect(AccessPolicy.unit(for: agent, requested: nil) == Self.own)
        #expect(AccessPolicy.unit(for: agent, requested: Self.other) == Self.other)  // then decide says not found
        #expect(AccessPolicy.unit(for: Self.principal(.superAdmin), requested: nil) == nil)
    }
}
