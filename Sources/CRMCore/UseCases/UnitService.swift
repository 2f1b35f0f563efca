import Foundation

/// Creating, finding, updating (renaming) and deleting units.
package struct UnitService: Sendable {
    let store: any UnitStore
    let now: @Sendable () -> Date

    package init(store: any UnitStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// Creates a unit. The slug is derived from the name unless given.
    package func create(
        name: String, slug: String? = nil, countryCode: String? = nil, timezone: String? = nil
    ) async throws -> BusinessUnit {
        let name = try UnitSettings.validateName(name)
        let chosenSlug: String
        if let given = slug {
            chosenSlug = try Slug.validate(given)
        } else if let derived = Slug.derive(from: name) {
            chosenSlug = derived
        } else {
            throw CRMError.invalidInput(
                "Cannot derive a slug from the name '\(name)': pass one with --slug, such as --slug main-store.",
                api: "Cannot derive a slug from the name '\(name)': give one in \"slug\", such as \"main-store\"."
            )
        }
        let date = now()
        let unit = BusinessUnit(
            id: UUID(), name: name, slug: chosenSlug,
            defaultCountryCode: try countryCode.map(UnitSettings.validateCountryCode) ?? UnitSettings.defaultCountryCode,
            timezone: try timezone.map(UnitSettings.validateTimezone) ?? UnitSettings.defaultTimezone,
            createdAt: date, updatedAt: date
        )
        do {
            try await store.insertUnit(unit)
        } catch StoreError.uniqueViolation {
            let origin = slug == nil ? " (derived from the name)" : ""
            throw CRMError.conflict(
                "A unit with the slug '\(unit.slug)'\(origin) already exists: choose another with --slug.",
                api: "A unit with the slug '\(unit.slug)'\(origin) already exists: choose another in \"slug\"."
            )
        }
        return unit
    }

    package func list() async throws -> [BusinessUnit] {
        try await store.listUnits()
    }

    /// Finds a unit by id or slug.
    package func find(_ reference: String) async throws -> BusinessUnit {
        let text = reference.trimmingCharacters(in: .whitespaces)
        if let id = UUID(uuidString: text), let unit = try await store.unit(id: id) {
            return unit
        }
        if let unit = try await store.unit(slug: text.lowercased()) {
            return unit
        }
        throw CRMError.notFound(
            "No unit '\(reference.prefix(80))': check the id or slug with 'crm units list'."
        )
    }

    package func rename(_ reference: String, to newName: String) async throws -> BusinessUnit {
        try await update(reference, UnitChanges(name: newName))
    }

    /// Changes the settings `changes` names (each checked first: nothing is written when one is
    /// wrong); the slug never changes, so scripts and URLs keep working.
    package func update(_ reference: String, _ changes: UnitChanges) async throws -> BusinessUnit {
        let name = try changes.name.map { try UnitSettings.validateName($0) }
        let countryCode = try changes.countryCode.map(UnitSettings.validateCountryCode)
        let timezone = try changes.timezone.map(UnitSettings.validateTimezone)
        var unit = try await find(reference)
        if let name { unit.name = name }
        if let countryCode { unit.defaultCountryCode = countryCode }
        if let timezone { unit.timezone = timezone }
        switch changes.optOutKeywords {
        case .own(let keywords): unit.optOutKeywords = keywords
        case .defaults: unit.optOutKeywords = nil
        case nil: break
        }
        unit.updatedAt = now()
        guard try await store.updateUnit(unit) else {
            throw CRMError.notFound("The unit '\(reference.prefix(80))' was deleted meanwhile.")
        }
        return unit
    }

    package func footprint(of unit: BusinessUnit) async throws -> UnitFootprint {
        try await store.footprint(ofUnit: unit.id)
    }

    /// Deletes a unit with its users, contacts, conversations, messages and campaigns.
    package func delete(_ unit: BusinessUnit) async throws {
        guard try await store.deleteUnit(id: unit.id) else {
            throw CRMError.notFound("The unit '\(unit.slug)' no longer exists.")
        }
    }
}
