import CRMCore
import Foundation
import SQLKit

extension SQLStore: UnitStore {
    /// The keywords as JSON text on both dialects (jsonb on PostgreSQL).
    static let unitColumns = """
        id, name, slug, default_country_code, timezone, CAST(opt_out_keywords AS TEXT) AS opt_out_keywords, created_at, updated_at
        """

    package func insertUnit(_ unit: BusinessUnit) async throws {
        try await driver.transaction { sql in
            try await sql.raw("""
                INSERT INTO units (id, name, slug, default_country_code, timezone, opt_out_keywords, created_at, updated_at)
                VALUES (\(bind: unit.id), \(bind: unit.name), \(bind: unit.slug), \(bind: unit.defaultCountryCode),
                        \(bind: unit.timezone), \(keywordsValue(unit.optOutKeywords)), \(bind: unit.createdAt), \(bind: unit.updatedAt))
                """).run()
        }
    }

    package func listUnits() async throws -> [BusinessUnit] {
        let units = try await driver.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.unitColumns) FROM units").all().map(Self.unit(from:))
        }
        // Sorted here rather than in SQL: the two databases collate text differently.
        return units.map { (key: $0.name.lowercased(), unit: $0) }
            .sorted { ($0.key, $0.unit.slug) < ($1.key, $1.unit.slug) }
            .map(\.unit)
    }

    package func unit(id: UUID) async throws -> BusinessUnit? {
        try await driver.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.unitColumns) FROM units WHERE id = \(bind: id)").first()
                .map(Self.unit(from:))
        }
    }

    package func unit(slug: String) async throws -> BusinessUnit? {
        try await driver.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.unitColumns) FROM units WHERE slug = \(bind: slug)").first()
                .map(Self.unit(from:))
        }
    }

    package func updateUnit(_ unit: BusinessUnit) async throws -> Bool {
        try await driver.transaction { sql in
            try await sql.raw("""
                UPDATE units SET name = \(bind: unit.name), default_country_code = \(bind: unit.defaultCountryCode),
                    timezone = \(bind: unit.timezone), opt_out_keywords = \(keywordsValue(unit.optOutKeywords)),
                    updated_at = \(bind: unit.updatedAt)
                WHERE id = \(bind: unit.id) RETURNING id
                """).first() != nil
        }
    }

    package func deleteUnit(id: UUID) async throws -> Bool {
        try await driver.transaction { sql in
            try await sql.raw("DELETE FROM units WHERE id = \(bind: id) RETURNING id").first() != nil
        }
    }

    package func footprint(ofUnit id: UUID) async throws -> UnitFootprint {
        try await driver.read { sql in
            let row = try await sql.raw("""
                SELECT (SELECT count(*) FROM users WHERE unit_id = \(bind: id)) AS users,
                       (SELECT count(*) FROM contacts WHERE unit_id = \(bind: id)) AS contacts,
                       (SELECT count(*) FROM messages WHERE unit_id = \(bind: id)) AS messages,
                       (SELECT count(*) FROM campaigns WHERE unit_id = \(bind: id)) AS campaigns
                """).first()
            guard let row else { return UnitFootprint(users: 0, contacts: 0, messages: 0, campaigns: 0) }
            return UnitFootprint(
                users: try row.decode(column: "users", as: Int.self),
                contacts: try row.decode(column: "contacts", as: Int.self),
                messages: try row.decode(column: "messages", as: Int.self),
                campaigns: try row.decode(column: "campaigns", as: Int.self)
            )
        }
    }

    static func unit(from row: any SQLRow) throws -> BusinessUnit {
        BusinessUnit(
            id: try row.uuid("id"),
            name: try row.decode(column: "name", as: String.self),
            slug: try row.decode(column: "slug", as: String.self),
            defaultCountryCode: try row.decode(column: "default_country_code", as: String.self),
            timezone: try row.decode(column: "timezone", as: String.self),
            optOutKeywords: try optOutKeywords(from: row),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self)
        )
    }
}
