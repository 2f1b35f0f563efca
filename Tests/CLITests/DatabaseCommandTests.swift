import CRMTestSupport
import Foundation
import Testing

@Suite("crm db and database selection (end to end)")
struct DatabaseCommandTests {
    @Test("db status lists pending then applied; db migrate twice is a no-op", arguments: TestDatabaseKind.available)
    func migrateAndStatus(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind, migrate: false)
        let before = try await f.crm("db", "status", "--json")
        let pending = try #require(before.json as? [String: Any])
        #expect((pending["pending"] as? Int ?? 0) > 0)
        let first = try await f.crm("db", "migrate", "--json")
        #expect(((first.json as? [String: Any])?["applied"] as? [Any])?.isEmpty == false, "\(first)")
        let second = try await f.crm("db", "migrate", "--json")
        #expect(((second.json as? [String: Any])?["applied"] as? [Any])?.isEmpty == true)
        #expect((try await f.crm("db", "status", "--json").json as? [String: Any])?["pending"] as? Int == 0)
    }

    @Test("on PostgreSQL, commands refuse pending migrations and say to run crm db migrate")
    func postgresNeedsMigrate() async throws {
        guard TestDatabaseKind.available.contains(.postgres) else { return }
        let f = try await CLIFixture.make(.postgres, migrate: false)
        expectCleanError(try await f.crm("units", "list"), status: 78, mentions: "crm db migrate")
        #expect(try await f.crm("db", "migrate").status == 0)
        #expect(try await f.crm("units", "list").status == 0)
    }

    @Test("on SQLite, the first command creates and migrates the file")
    func sqliteMigratesAutomatically() async throws {
        let f = try await CLIFixture.make(.sqlite, migrate: false)
        let result = try await f.crm("units", "list", "--json")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || (result.json as? [Any])?.isEmpty == true)
        #expect(result.stderr.contains("schema"))
    }

    @Test("eight processes migrating one database at once: all succeed, each migration applied once", arguments: TestDatabaseKind.available)
    func concurrentMigrateProcesses(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind, migrate: false)
        let results = try await withThrowingTaskGroup(of: CLIRunner.Result.self) { group in
            for _ in 0..<8 {
                group.addTask { try await f.cli.run(["db", "migrate", "--json", "--database", f.databaseURL]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for result in results { #expect(result.status == 0, "\(result)") }
        let applied = results.compactMap { ($0.json as? [String: Any])?["applied"] as? [Any] }.map(\.count)
        let status = try #require(try await f.crm("db", "status", "--json").json as? [String: Any])
        let total = (status["migrations"] as? [Any])?.count ?? -1
        #expect(applied.reduce(0, +) == total)
        #expect(status["pending"] as? Int == 0)
    }

    @Test("the default database is a SQLite file in XDG_DATA_HOME, created on first use")
    func defaultLocation() async throws {
        let folder = try TestDatabases.temporaryFolder()
        let cli = CLIRunner(dataFolder: folder)
        #expect(try await cli.run(["units", "create", "Default"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/crm/crm.sqlite"))
        // CRM_DATABASE_URL beats DATABASE_URL; --database beats both.
        let a = folder.appendingPathComponent("a.sqlite").path
        let b = folder.appendingPathComponent("b.sqlite").path
        let c = folder.appendingPathComponent("c.sqlite").path
        let environment = ["CRM_DATABASE_URL": "sqlite://\(a)", "DATABASE_URL": "sqlite://\(b)"]
        #expect(try await cli.run(["units", "create", "In A"], environment: environment).status == 0)
        #expect(try await cli.run(["units", "create", "In B"], environment: ["DATABASE_URL": "sqlite://\(b)"]).status == 0)
        #expect(try await cli.run(["units", "create", "In C", "--database", "sqlite:\(c)"], environment: environment).status == 0)
        for (path, slug) in [(a, "in-a"), (b, "in-b"), (c, "in-c")] {
            let list = try await cli.run(["units", "list", "--json", "--database", "sqlite://\(path)"])
            #expect((list.json as? [[String: Any]])?.map { $0["slug"] as? String } == [slug])
        }
    }

    @Test("a SQLite path in a missing folder or an unusable file is a clear error")
    func unusableSQLite() async throws {
        let folder = try TestDatabases.temporaryFolder()
        let cli = CLIRunner(dataFolder: folder)
        expectCleanError(try await cli.run(["units", "list", "--database", "sqlite:///nonexistent-folder-\(UUID())/crm.sqlite"]), status: 69, mentions: "does not exist")
        let notADatabase = folder.appendingPathComponent("notes.txt")
        try Data("this is not sqlite at all, just text that is long enough to be read".utf8).write(to: notADatabase)
        expectCleanError(try await cli.run(["units", "list", "--database", "sqlite://\(notADatabase.path)"]), status: 69)
        expectCleanError(try await cli.run(["units", "list", "--database", "sqlite://\(folder.path)"]), status: 69)
        expectCleanError(try await cli.run(["units", "list", "--database", "mysql://root@localhost/crm"]), status: 78, mentions: "postgres://")
    }

    @Test("an unreachable PostgreSQL answers within 10 seconds without showing the password")
    func unreachablePostgres() async throws {
        let folder = try TestDatabases.temporaryFolder()
        let cli = CLIRunner(dataFolder: folder)
        let secret = "pw-\(UUID().uuidString.prefix(8))"
        let refused = try await cli.run(["units", "list", "--database", "postgres://crm:\(secret)@127.0.0.1:1/crm"])
        expectCleanError(refused, status: 69, mentions: "127.0.0.1:1")
        #expect(!refused.stderr.contains(secret))
        #expect(refused.seconds < 10)
        // A port that accepts the connection but never answers (a listening socket nobody serves).
        let silent = try SilentServer()
        let hung = try await cli.run(["units", "list", "--database", "postgres://crm:\(secret)@127.0.0.1:\(silent.port)/crm"])
        expectCleanError(hung, status: 69, mentions: "127.0.0.1:\(silent.port)")
        #expect(!hung.stderr.contains(secret))
        // crm gives up after its 10-second connect timeout; the rest is process start-up, which a
        // loaded CI machine (every suite at once on 2 cores) stretched past 2 s. A hang would be minutes.
        #expect(hung.seconds < 20)
    }

    @Test("a wrong PostgreSQL password is reported without being shown")
    func wrongPassword() async throws {
        guard let server = TestDatabases.postgresServerURL, var components = URLComponents(string: server),
            components.password != nil
        else { return }  // the CI server requires passwords (scram); a trust-only local server cannot show this
        let secret = "wrong-\(UUID().uuidString.prefix(8))"
        components.password = secret
        let cli = CLIRunner(dataFolder: try TestDatabases.temporaryFolder())
        let result = try await cli.run(["units", "list", "--database", components.string!])
        expectCleanError(result, status: 69, mentions: "password")
        #expect(!result.stderr.contains(secret))
    }

    @Test("crm webhook serve (a pool of connections) reports an unreachable server or a wrong password at start")
    func listenerStartupErrors() async throws {
        let cli = CLIRunner(dataFolder: try TestDatabases.temporaryFolder())
        let secret = "pw-\(UUID().uuidString.prefix(8))"
        let refused = try await cli.run(
            ["webhook", "serve", "--port", "0", "--database", "postgres://crm:\(secret)@127.0.0.1:1/crm"], timeout: 30
        )
        expectCleanError(refused, status: 69, mentions: "127.0.0.1:1")
        #expect(!refused.stderr.contains(secret))
        #expect(refused.seconds < 10)
        let badSize = try await cli.run(["webhook", "serve", "--db-pool-size", "0", "--database", "postgres://crm@127.0.0.1:1/crm"])
        #expect(badSize.status == 64 && badSize.stderr.contains("--db-pool-size"), "\(badSize)")
        let badEnvironment = try await cli.run(
            ["webhook", "serve", "--database", "postgres://crm@127.0.0.1:1/crm"], environment: ["CRM_DB_POOL_SIZE": "many"]
        )
        expectCleanError(badEnvironment, status: 78, mentions: "CRM_DB_POOL_SIZE")

        guard let server = TestDatabases.postgresServerURL, var components = URLComponents(string: server),
            components.password != nil
        else { return }
        components.password = secret
        let wrong = try await cli.run(["webhook", "serve", "--port", "0", "--database", components.string!], timeout: 30)
        expectCleanError(wrong, status: 69, mentions: "password")
        #expect(!wrong.stderr.contains(secret))
    }

    @Test("crm --version prints the version")
    func version() async throws {
        let result = try await CLIRunner(dataFolder: try TestDatabases.temporaryFolder()).run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }
}
