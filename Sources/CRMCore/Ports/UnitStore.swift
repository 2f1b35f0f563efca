import Foundation

/// Persistence of units (tenants).
package protocol UnitStore: Sendable {
    /// Inserts a unit; throws `StoreError.uniqueViolation` when the slug is taken.
    func insertUnit(_ unit: BusinessUnit) async throws
    /// Every unit, ordered by name then slug.
    func listUnits() async throws -> [BusinessUnit]
    func unit(id: UUID) async throws -> BusinessUnit?
    func unit(slug: String) async throws -> BusinessUnit?
    /// Writes name, country code, time zone, opt-out keywords and updatedAt; false when the unit no longer exists.
    func updateUnit(_ unit: BusinessUnit) async throws -> Bool
    /// Deletes the unit and everything it owns; false when it did not exist.
    func deleteUnit(id: UUID) async throws -> Bool
    func footprint(ofUnit id: UUID) async throws -> UnitFootprint
}
