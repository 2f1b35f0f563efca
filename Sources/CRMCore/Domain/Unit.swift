import Foundation

/// A tenant: one business (or branch) with its own WhatsApp number, contacts, users and campaigns.
public struct BusinessUnit: Sendable, Equatable, Codable, Identifiable {
    public var id: UUID
    public var name: String
    public var slug: String
    /// Country calling code used to complete local phone numbers ("55" for Brazil).
    public var defaultCountryCode: String
    /// IANA time zone of the unit, used for campaign sending windows.
    public var timezone: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, name: String, slug: String, defaultCountryCode: String, timezone: String,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.slug = slug
        self.defaultCountryCode = defaultCountryCode
        self.timezone = timezone
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// How many records a unit owns: shown before a unit is deleted, since deletion removes them all.
public struct UnitFootprint: Sendable, Equatable, Codable {
    public var users: Int
    public var contacts: Int
    public var messages: Int
    public var campaigns: Int

    public init(users: Int, contacts: Int, messages: Int, campaigns: Int) {
        self.users = users
        self.contacts = contacts
        self.messages = messages
        self.campaigns = campaigns
    }

    public var isEmpty: Bool { users == 0 && contacts == 0 && messages == 0 && campaigns == 0 }
}
