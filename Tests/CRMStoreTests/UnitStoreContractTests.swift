import CRMCore
import CRMTestSupport
import Foundation
import Testing

@testable import CRMStore

/// The same tests against SQLite and PostgreSQL: the store must behave identically on both.
@Suite("Unit store contract")
struct UnitStoreContractTests {
    @Test("names with quotes, SQL, emoji and accents are stored and read back verbatim", arguments: TestDatabaseKind.stores)
    func verbatimNames(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let service = UnitService(store: database.store)
            let names = [
                "Robert'); DROP TABLE units;--", "\"quoted\" $(rm -rf /) `x` & | ;", "🍕 Pizzaria 🇧🇷",
                "São Paulo Centro — Ação", "日本語の店", String(repeating: "x", count: 200),
            ]
            for name in names {
                let created = try await service.create(name: name, slug: "u-\(UUID().uuidString.prefix(6).lowercased())")
                let found = try await service.find(created.slug)
                #expect(found.name == name)
                #expect(found.id == created.id)
            }
            #expect(try await service.list().count == names.count)
        }
    }

    @Test("slugs are derived, unique, and found by id or slug", arguments: TestDatabaseKind.stores)
    func slugs(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let service = UnitService(store: database.store)
            let unit = try await service.create(name: "São Paulo Centro")
            #expect(unit.slug == "sao-paulo-centro")
            #expect(try await service.find(unit.id.uuidString.lowercased()).slug == unit.slug)
            #expect(try await service.find("SAO-PAULO-CENTRO").id == unit.id)
            await #expect(throws: CRMError.conflict(
                "A unit with the slug 'sao-paulo-centro' (derived from the name) already exists: choose another with --slug.",
                api: "A unit with the slug 'sao-paulo-centro' (derived from the name) already exists: choose another in \"slug\"."
            )) {
                _ = try await service.create(name: "Sao Paulo centro")
            }
            await #expect(throws: CRMError.self) { _ = try await service.create(name: "X", slug: "sao-paulo-centro") }
            await #expect(throws: CRMError.self) { _ = try await service.find("no-such-unit") }
            #expect(try await service.list().count == 1)
        }
    }

    @Test("timestamps and settings round-trip", arguments: TestDatabaseKind.stores)
    func roundTrip(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let fixed = Date(timeIntervalSince1970: 1_790_000_000.25)
            let service = UnitService(store: database.store, now: { fixed })
            let unit = try await service.create(name: "Lisboa", countryCode: "+351", timezone: "Europe/Lisbon")
            let stored = try #require(try await database.store.unit(id: unit.id))
            #expect(stored.defaultCountryCode == "351")
            #expect(stored.timezone == "Europe/Lisbon")
            #expect(abs(stored.createdAt.timeIntervalSince(fixed)) < 0.001)
        }
    }

    @Test("rename keeps the slug; delete removes the unit and everything it owns", arguments: TestDatabaseKind.stores)
    func renameAndDelete(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let units = UnitService(store: database.store)
            let users = UserService(store: database.store, hasher: BcryptPasswordHasher(cost: 10))
            let unit = try await units.create(name: "Loja 1")
            let renamed = try await units.rename("loja-1", to: "Loja Um")
            #expect(renamed.slug == "loja-1")
            #expect(try await units.find("loja-1").name == "Loja Um")
            _ = try await users.create(email: "a@example.com", role: .agent, unit: "loja-1", name: nil, password: "password1")
            #expect(try await units.footprint(of: unit).users == 1)
            try await units.delete(unit)
            #expect(try await database.store.unit(id: unit.id) == nil)
            #expect(try await database.store.user(email: "a@example.com") == nil)
            await #expect(throws: CRMError.self) { try await units.delete(unit) }
        }
    }

    @Test("bad names are refused before anything is stored", arguments: TestDatabaseKind.stores)
    func badNames(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let service = UnitService(store: database.store)
            for name in ["", "   ", String(repeating: "x", count: 10_000), "line\nbreak"] {
                await #expect(throws: CRMError.self) { _ = try await service.create(name: name) }
            }
            await #expect(throws: CRMError.self) { _ = try await service.create(name: "ok", slug: "Bad Slug") }
            await #expect(throws: CRMError.self) { _ = try await service.create(name: "ok", timezone: "Mars/Base") }
            await #expect(throws: CRMError.self) { _ = try await service.create(name: "ok", countryCode: "0055") }
            let remaining = try await service.list()
            #expect(remaining.isEmpty)
        }
    }
}
