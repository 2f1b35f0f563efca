import CRMTestSupport
import Foundation
import Testing

/// Prompts that only a terminal shows, driven through tmux (CI installs it).
@Suite("Interactive prompts (tmux)")
struct InteractivePromptTests {
    func session(_ fixture: CLIFixture, _ arguments: [String]) throws -> TerminalSession {
        let command = ([CLIRunner.binary.path] + arguments + ["--database", fixture.databaseURL])
            .map(TerminalSession.quote).joined(separator: " ")
        return try TerminalSession(command: command, environment: fixture.cli.environment.filter {
            ["XDG_DATA_HOME", "HOME", "CRM_BCRYPT_COST", "NO_COLOR", "PATH"].contains($0.key)
        })
    }

    @Test("users create asks for the password twice without echo")
    func passwordPrompt() async throws {
        let f = try await CLIFixture.make(.sqlite)
        let password = "typed-\(UUID().uuidString.prefix(6))"
        let terminal = try session(f, ["users", "create", "--email", "tty@example.com", "--role", "super_admin"])
        try await terminal.waitFor("Password:")
        try terminal.type(password)
        try await terminal.waitFor("Repeat password:")
        try terminal.type(password)
        let screen = try await terminal.waitFor("[exit ")
        #expect(screen.contains("[exit 0]"), "\(screen)")
        #expect(!screen.contains(password), "the password was echoed:\n\(screen)")
        #expect(try await f.crm("users", "show", "tty@example.com").status == 0)
    }

    @Test("two different passwords are refused")
    func mismatch() async throws {
        let f = try await CLIFixture.make(.sqlite)
        let terminal = try session(f, ["users", "create", "--email", "tty@example.com", "--role", "super_admin"])
        try await terminal.waitFor("Password:")
        try terminal.type("first-password")
        try await terminal.waitFor("Repeat password:")
        try terminal.type("second-password")
        let screen = try await terminal.waitFor("[exit ")
        #expect(screen.contains("differ"), "\(screen)")
        #expect(screen.contains("[exit 65]"), "\(screen)")
        #expect(try await f.crm("users", "show", "tty@example.com").status == 66)
    }

    @Test("delete asks on a terminal: 'n' keeps the unit, 'y' deletes it")
    func confirmation() async throws {
        let f = try await CLIFixture.make(.sqlite)
        try #require(try await f.crm("units", "create", "Loja").status == 0)
        let declined = try session(f, ["units", "delete", "loja"])
        try await declined.waitFor("[y/N]")
        try declined.type("n")
        #expect(try await declined.waitFor("[exit ").contains("[exit 1]"))
        #expect(try await f.crm("units", "show", "loja").status == 0)

        let accepted = try session(f, ["units", "delete", "loja"])
        try await accepted.waitFor("[y/N]")
        try accepted.type("y")
        #expect(try await accepted.waitFor("[exit ").contains("[exit 0]"))
        #expect(try await f.crm("units", "show", "loja").status == 66)
    }
}
