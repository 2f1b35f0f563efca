import Foundation

/// A tenant: one business (or branch) with its own WhatsApp number, contacts, users and campaigns.
package struct BusinessUnit: Sendable, Equatable, Codable, Identifiable {
    package var id: UUID
    package var name: String
    package var slug: String
    /// Country calling code used to complete local phone numbers ("55" for Brazil).
    package var defaultCountryCode: String
    /// IANA time zone of the unit, used for campaign sending windows.
    package var timezone: String
    /// The unit's own opt-out keywords; `nil`: `OptOutKeywords.defaults`.
    package var optOutKeywords: OptOutKeywords?
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: UUID, name: String, slug: String, defaultCountryCode: String, timezone: String,
        optOutKeywords: OptOutKeywords? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.slug = slug
        self.defaultCountryCode = defaultCountryCode
        self.timezone = timezone
        self.optOutKeywords = optOutKeywords
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The keywords that opt a contact of this unit out: its own, or the defaults.
    package var effectiveOptOutKeywords: OptOutKeywords { optOutKeywords ?? .defaults }
}

/// How many records a unit owns: shown before a unit is deleted, since deletion removes them all.
package struct UnitFootprint: Sendable, Equatable, Codable {
    package var users: Int
    package var contacts: Int
    package var messages: Int
    package var campaigns: Int

    package init(users: Int, contacts: Int, messages: Int, campaigns: Int) {
        self.users = users
        self.contacts = contacts
        self.messages = messages
        self.campaigns = campaigns
    }

    package var isEmpty: Bool { users == 0 && contacts == 0 && messages == 0 && campaigns == 0 }
}
