import CRMCore
import Foundation

/// The JSON shape of a unit (camelCase keys, lowercase ids, ISO 8601 dates).
struct UnitView: Encodable {
    var id: String
    var name: String
    var slug: String
    var defaultCountryCode: String
    var timezone: String
    /// The keywords in effect: the unit's own, or the defaults.
    var optOutKeywords: [String]
    /// `true` when the unit uses crm's defaults (it set none).
    var defaultOptOutKeywords: Bool
    var createdAt: Date
    var updatedAt: Date
    var counts: UnitFootprint?

    init(_ unit: BusinessUnit, counts: UnitFootprint? = nil) {
        id = unit.id.text
        name = unit.name
        slug = unit.slug
        defaultCountryCode = unit.defaultCountryCode
        timezone = unit.timezone
        optOutKeywords = unit.effectiveOptOutKeywords.words
        defaultOptOutKeywords = unit.optOutKeywords == nil
        createdAt = unit.createdAt
        updatedAt = unit.updatedAt
        self.counts = counts
    }
}

/// The JSON shape of a user. The password hash is never part of it.
struct UserView: Encodable {
    var id: String
    var email: String
    var name: String?
    var role: String
    var unitId: String?
    var unitSlug: String?
    var disabled: Bool
    var disabledAt: Date?
    var createdAt: Date
    var updatedAt: Date

    init(_ user: User, unitSlug: String?) {
        id = user.id.text
        email = user.email
        name = user.name
        role = user.role.rawValue
        unitId = user.unitId?.text
        self.unitSlug = unitSlug
        disabled = user.isDisabled
        disabledAt = user.disabledAt
        createdAt = user.createdAt
        updatedAt = user.updatedAt
    }

    /// Always writes every key (null when absent), so scripts can rely on the shape.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(email, forKey: .email)
        try container.encode(name, forKey: .name)
        try container.encode(role, forKey: .role)
        try container.encode(unitId, forKey: .unitId)
        try container.encode(unitSlug, forKey: .unitSlug)
        try container.encode(disabled, forKey: .disabled)
        try container.encode(disabledAt, forKey: .disabledAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    private enum CodingKeys: String, CodingKey {
        case id, email, name, role, unitId, unitSlug, disabled, disabledAt, createdAt, updatedAt
    }
}

/// The JSON answer of a delete.
struct DeletedView: Encodable {
    var deleted = true
    var id: String
    var kind: String
}
