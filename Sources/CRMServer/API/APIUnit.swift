import CRMCore
import Foundation

/// A unit as the API shows it (`crm units show --json`'s keys).
struct APIUnit: Encodable {
    var unit: BusinessUnit

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(unit.id.text, forKey: .id)
        try container.encode(unit.name, forKey: .name)
        try container.encode(unit.slug, forKey: .slug)
        try container.encode(unit.defaultCountryCode, forKey: .defaultCountryCode)
        try container.encode(unit.timezone, forKey: .timezone)
        try container.encode(unit.effectiveOptOutKeywords.words, forKey: .optOutKeywords)
        try container.encode(unit.optOutKeywords == nil, forKey: .defaultOptOutKeywords)
        try container.encode(unit.createdAt, forKey: .createdAt)
        try container.encode(unit.updatedAt, forKey: .updatedAt)
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, slug, defaultCountryCode, timezone, optOutKeywords, defaultOptOutKeywords, createdAt, updatedAt
    }
}

/// A user as the administration endpoints show it: the sign-in shape plus its state. Never the
/// password hash.
struct APIManagedUser: Encodable {
    var user: User

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user.id.text, forKey: .id)
        try container.encode(user.email, forKey: .email)
        try container.encode(user.name, forKey: .name)
        try container.encode(user.role.rawValue, forKey: .role)
        try container.encode(user.unitId?.text, forKey: .unitId)
        try container.encode(user.isDisabled, forKey: .disabled)
        try container.encode(user.disabledAt, forKey: .disabledAt)
        try container.encode(user.createdAt, forKey: .createdAt)
        try container.encode(user.updatedAt, forKey: .updatedAt)
    }

    private enum CodingKeys: String, CodingKey {
        case id, email, name, role, unitId, disabled, disabledAt, createdAt, updatedAt
    }
}
