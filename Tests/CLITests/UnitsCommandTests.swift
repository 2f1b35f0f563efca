import CRMTestSupport
import Foundation
import Testing

@Suite("crm units (end to end)")
struct UnitsCommandTests {
    @Test("create, list, show, rename, delete with --json", arguments: TestDatabaseKind.available)
    func lifecycle(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind)
        let created = try await f.crm("units", "create", "São Paulo Centro", "--json")
        #expect(created.status == 0, "\(created)")
        let unit = try #require(created.json as? [String: Any])
        #expect(unit["slug"] as? String == "sao-paulo-centro")
        #expect(unit["name"] as? String == "São Paulo Centro")
        #expect((unit["id"] as? String)?.count == 36)
        #expect((unit["createdAt"] as? String)?.hasSuffix("Z") == true)

        let list = try await f.crm("units", "list", "--json")
        #expect((list.json as? [[String: Any]])?.map { $0["slug"] as? String } == ["sao-paulo-centro"])

        let byId = try await f.crm("units", "show", unit["id"] as! String, "--json")
        #expect((byId.json as? [String: Any])?["slug"] as? String == "sao-paulo-centro")
        #expect(((byId.json as? [String: Any])?["counts"] as? [String: Int])?["users"] == 0)

        let renamed = try await f.crm("units", "rename", "sao-paulo-centro", "SP Centro", "--json")
        #expect((renamed.json as? [String: Any])?["name"] as? String == "SP Centro")

        let table = try await f.crm("units", "list")
        #expect(table.stdout.contains("SP Centro"))
        #expect(table.stdout.hasPrefix("SLUG"))

        let deleted = try await f.crm("units", "delete", "sao-paulo-centro", "--yes", "--json")
        #expect((deleted.json as? [String: Any])?["deleted"] as? Bool == true)
        #expect(try await f.crm("units", "list", "--json").json as? [Any] != nil)
        #expect((try await f.crm("units", "list", "--json").json as? [Any])?.isEmpty == true)
    }

    @Test("names with SQL, shell metacharacters, quotes, emoji and accents are kept verbatim", arguments: TestDatabaseKind.available)
    func verbatimNames(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind)
        let names = ["Robert'); DROP TABLE units;--", "$(whoami) `id` && echo \"pwned\" | cat", "Café ☕️ 🇧🇷 Ação", "中文店"]
        for (index, name) in names.enumerated() {
            let result = try await f.crm("units", "create", name, "--slug", "u\(index)", "--json")
            #expect(result.status == 0, "\(result)")
            let shown = try await f.crm("units", "show", "u\(index)", "--json")
            #expect((shown.json as? [String: Any])?["name"] as? String == name)
        }
        #expect((try await f.crm("units", "list", "--json").json as? [Any])?.count == names.count)
    }

    @Test("bad input: clear one-line error, the right exit code, nothing changed", arguments: TestDatabaseKind.available)
    func badInput(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind)
        try #require(try await f.crm("units", "create", "Loja", "--slug", "loja").status == 0)
        let before = try await f.snapshot()
        expectCleanError(try await f.crm("units", "create", "Loja"), status: 67, mentions: "already exists")
        expectCleanError(try await f.crm("units", "create", "Outra", "--slug", "loja"), status: 67, mentions: "--slug")
        expectCleanError(try await f.crm("units", "create", ""), status: 65, mentions: "empty")
        expectCleanError(try await f.crm("units", "create", String(repeating: "n", count: 10_000)), status: 65, mentions: "200")
        expectCleanError(try await f.crm("units", "create", "X", "--slug", "Not A Slug"), status: 65, mentions: "slug")
        expectCleanError(try await f.crm("units", "create", "X", "--timezone", "Mars/Olympus"), status: 65, mentions: "time zone")
        expectCleanError(try await f.crm("units", "show", "nope"), status: 66, mentions: "crm units list")
        expectCleanError(try await f.crm("units", "rename", "nope", "Name"), status: 66)
        expectCleanError(try await f.crm("units", "delete", "nope", "--yes"), status: 66)
        expectCleanError(try await f.crm("units", "rename", "loja", " "), status: 65)
        #expect(try await f.snapshot() == before)
    }

    @Test("delete without --yes and without a terminal refuses and keeps the unit", arguments: TestDatabaseKind.available)
    func deleteNeedsConfirmation(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind)
        try #require(try await f.crm("units", "create", "Loja").status == 0)
        expectCleanError(try await f.crm("units", "delete", "loja"), status: 1, mentions: "--yes")
        #expect(try await f.crm("units", "show", "loja").status == 0)
    }

    @Test("usage errors exit 64")
    func usage() async throws {
        let f = try await CLIFixture.make(.sqlite, migrate: false)
        let result = try await f.crm("units", "create")
        #expect(result.status == 64, "\(result)")
        #expect(try await f.crm("units", "frobnicate").status == 64)
    }
}
