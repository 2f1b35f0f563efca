import Foundation

/// A person a unit talks to on WhatsApp: one per phone number (or per LID while WhatsApp hides
/// the number) within a unit.
package struct Contact: Sendable, Equatable, Codable {
    package var id: UUID
    package var unitId: UUID
    /// Digits with the country code, as providers give them; `nil` while only the LID is known.
    package var phone: String?
    /// WhatsApp's privacy id (digits of `…@lid`), when a provider gave one.
    package var lid: String?
    /// The WhatsApp profile name, or the name an import gave.
    package var name: String?
    package var optedOut: Bool
    package var optedOutAt: Date?
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: UUID = UUID(), unitId: UUID, phone: String?, lid: String? = nil, name: String? = nil, optedOut: Bool = false,
        optedOutAt: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.unitId = unitId
        self.phone = phone
        self.lid = lid
        self.name = name
        self.optedOut = optedOut
        self.optedOutAt = optedOutAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
