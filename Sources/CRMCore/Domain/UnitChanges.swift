/// What an update of a unit changes (`crm units update`): each `nil` setting stays as it is. The
/// texts are checked by `UnitService.update` with `UnitSettings`' rules.
package struct UnitChanges: Sendable, Equatable {
    package enum Keywords: Sendable, Equatable {
        /// The unit's own list (built with `OptOutKeywords(validating:)` or `parse`).
        case own(OptOutKeywords)
        /// Back to `OptOutKeywords.defaults`.
        case defaults
    }

    package var name: String?
    package var countryCode: String?
    package var timezone: String?
    package var optOutKeywords: Keywords?

    package init(name: String? = nil, countryCode: String? = nil, timezone: String? = nil, optOutKeywords: Keywords? = nil) {
        self.name = name
        self.countryCode = countryCode
        self.timezone = timezone
        self.optOutKeywords = optOutKeywords
    }

    package var isEmpty: Bool { name == nil && countryCode == nil && timezone == nil && optOutKeywords == nil }
}
