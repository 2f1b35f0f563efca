import Foundation

/// A position in a unit's contacts, in their list order (last change first, then the id). A
/// contact that changes while someone pages moves to the top and is not repeated.
package struct ContactCursor: Sendable, Hashable {
    package var updatedAt: Date
    package var id: UUID

    package init(updatedAt: Date, id: UUID) {
        self.updatedAt = updatedAt
        self.id = id
    }

    package init(_ contact: Contact) {
        self.init(updatedAt: contact.updatedAt, id: contact.id)
    }
}

/// What `crm contacts list` and `GET /contacts` ask for: one unit's contacts, most recently
/// updated first.
package struct ContactFilter: Sendable, Hashable {
    package var unitId: UUID
    /// Digits of the phone.
    package var phone: String?
    package var optedOut: Bool?
    /// Only contacts updated at or after this date.
    package var since: Date?
    /// Only contacts after this one in the list order (the next page).
    package var after: ContactCursor?
    package var limit: Int

    package init(
        unitId: UUID, phone: String? = nil, optedOut: Bool? = nil, since: Date? = nil, after: ContactCursor? = nil, limit: Int = 50
    ) {
        self.unitId = unitId
        self.phone = phone
        self.optedOut = optedOut
        self.since = since
        self.after = after
        self.limit = limit
    }
}
