import CRMTestSupport
import Foundation
import Testing

@Suite("crm users (end to end)")
struct UsersCommandTests {
    @Test("create with --password-stdin, list, show, set-role, set-password, disable, enable, delete", arguments: TestDatabaseKind.available)
    func lifecycle(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind)
        try #require(try await f.crm("units", "create", "Loja A").status == 0)
        try #require(try await f.crm("units", "create", "Loja B").status == 0)
        let password = "Tr0ub4dor&3-unique-\(UUID().uuidString.prefix(4))"
        let created = try await f.crm(
            "users", "create", "--email", "Ana@Example.com", "--role", "unit_admin", "--unit", "loja-a", "--name", "Ana",
            "--password-stdin", "--json", stdin: password + "\n"
        )
        #expect(created.status == 0, "\(created)")
        let user = try #require(created.json as? [String: Any])
        #expect(user["email"] as? String == "Ana@Example.com")
        #expect(user["role"] as? String == "unit_admin")
        #expect(user["unitSlug"] as? String == "loja-a")
        #expect(user["disabled"] as? Bool == false)
        #expect(user.keys.allSatisfy { !$0.lowercased().contains("password") && !$0.lowercased().contains("hash") })

        try #require(try await f.crm("users", "create", "--email", "root@example.com", "--role", "super_admin", "--password-stdin", stdin: "rootpass1").status == 0)
        let agents = try await f.crm("users", "list", "--unit", "loja-a", "--json")
        #expect((agents.json as? [[String: Any]])?.map { $0["email"] as? String } == ["Ana@Example.com"])
        let supers = try await f.crm("users", "list", "--role", "super_admin", "--json")
        #expect((supers.json as? [[String: Any]])?.first?["unitId"] is NSNull)

        let moved = try await f.crm("users", "set-role", "ana@example.com", "agent", "--unit", "loja-b", "--json")
        #expect((moved.json as? [String: Any])?["unitSlug"] as? String == "loja-b")
        #expect((moved.json as? [String: Any])?["role"] as? String == "agent")

        #expect(try await f.crm("users", "set-password", "ANA@example.com", "--password-stdin", stdin: "another-secret").status == 0)
        let disabled = try await f.crm("users", "disable", "ana@example.com", "--json")
        #expect((disabled.json as? [String: Any])?["disabled"] as? Bool == true)
        let enabled = try await f.crm("users", "enable", user["id"] as! String, "--json")
        #expect((enabled.json as? [String: Any])?["disabled"] as? Bool == false)

        let everything = [created, agents, moved, disabled, enabled, try await f.crm("users", "show", "ana@example.com"), try await f.crm("users", "list")]
        for result in everything {
            #expect(!result.stdout.contains(password) && !result.stderr.contains(password))
            #expect(!result.stdout.contains("$2b$") && !result.stdout.contains("$2a$") && !result.stdout.contains("$2y$"))
        }
        #expect(try await f.crm("users", "delete", "ana@example.com", "--yes").status == 0)
        expectCleanError(try await f.crm("users", "show", "ana@example.com"), status: 66)
    }

    @Test("bad input: clear one-line error, the right exit code, nothing changed", arguments: TestDatabaseKind.available)
    func badInput(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind)
        try #require(try await f.crm("units", "create", "Loja").status == 0)
        try #require(try await f.crm("users", "create", "--email", "taken@example.com", "--role", "agent", "--unit", "loja", "--password-stdin", stdin: "password1").status == 0)
        let before = try await f.snapshot()
        let create = ["users", "create", "--password-stdin"]
        func attempt(_ extra: [String], stdin: String? = "password1") async throws -> CLIRunner.Result {
            try await f.cli.run(create + extra + ["--database", f.databaseURL], stdin: stdin)
        }
        expectCleanError(try await attempt(["--email", "TAKEN@example.com", "--role", "agent", "--unit", "loja"]), status: 67, mentions: "already exists")
        expectCleanError(try await attempt(["--email", "not-an-email", "--role", "agent", "--unit", "loja"]), status: 65, mentions: "email")
        expectCleanError(try await attempt(["--email", "a@b", "--role", "agent", "--unit", "loja"]), status: 65, mentions: "email")
        expectCleanError(try await attempt(["--email", "new@example.com", "--role", "agent", "--unit", "loja"], stdin: "short"), status: 65, mentions: "at least 8")
        expectCleanError(try await attempt(["--email", "new@example.com", "--role", "agent"]), status: 65, mentions: "--unit")
        expectCleanError(try await attempt(["--email", "new@example.com", "--role", "super_admin", "--unit", "loja"]), status: 65)
        expectCleanError(try await attempt(["--email", "new@example.com", "--role", "owner"]), status: 65, mentions: "super_admin")
        expectCleanError(try await attempt(["--email", "new@example.com", "--role", "agent", "--unit", "ghost"]), status: 66)
        expectCleanError(try await attempt(["--email", "new@example.com", "--role", "agent", "--unit", "loja"], stdin: ""), status: 65, mentions: "empty")
        expectCleanError(try await attempt(["--email", "new@example.com", "--role", "agent", "--unit", "loja"], stdin: String(repeating: "p", count: 100)), status: 65, mentions: "72")
        // Without --password-stdin and without a terminal, crm refuses rather than hang on a prompt.
        let noTerminal = try await f.cli.run(["users", "create", "--email", "new@example.com", "--role", "super_admin", "--database", f.databaseURL], stdin: "password1")
        expectCleanError(noTerminal, status: 65, mentions: "--password-stdin")
        expectCleanError(try await f.crm("users", "set-role", "ghost@example.com", "agent"), status: 66)
        expectCleanError(try await f.crm("users", "delete", "taken@example.com"), status: 1, mentions: "--yes")
        #expect(try await f.snapshot() == before)
    }
}
