import Foundation

/// Opting a unit's contact out of messages by hand, or back in (`crm contacts opt-out|opt-in`).
/// An opted-out contact is refused by `crm send` unless `--force`, and left out of campaigns.
package struct OptOutService: Sendable {
    let store: any ContactOptOutStore
    let now: @Sendable () -> Date

    package init(store: any ContactOptOutStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// Opts the number out, creating its contact when crm does not know it yet. `phone` is as a
    /// person types it, international or national for the unit's country.
    package func optOut(unit: BusinessUnit, phone: String) async throws -> OptOutChange {
        let digits = try PhoneNumberNormalizer.normalize(phone, defaultCountryCode: unit.defaultCountryCode)
        guard let change = try await store.setOptOut(unitId: unit.id, phone: digits, optedOut: true, at: now()) else {
            throw CRMError(.internal, "The opted-out contact was not recorded.")
        }
        return change
    }

    /// Lets the number receive messages again.
    package func optIn(unit: BusinessUnit, phone: String) async throws -> OptOutChange {
        let digits = try PhoneNumberNormalizer.normalize(phone, defaultCountryCode: unit.defaultCountryCode)
        guard let change = try await store.setOptOut(unitId: unit.id, phone: digits, optedOut: false, at: now()) else {
            throw CRMError.notFound(
                "Unit \(unit.slug) has no contact \(PhoneDisplay.masked(digits)), so it was never opted out: nothing to opt in. "
                    + "Check the number with `crm contacts list --unit \(unit.slug)`.")
        }
        return change
    }
}
