import CRMTestSupport
import Foundation
import Testing

/// `crm console` as a person uses it, in a real terminal (a tmux pane): completion, history
/// across sessions, errors that do not end the session, Ctrl-C; and as a script reads it from a pipe.
@Suite("crm console")
struct ConsoleTests {
    /// Starts `crm console` on the fixture's database in a tmux pane, and waits for its prompt.
    func console(_ fixture: CLIFixture) async throws -> TerminalSession {
        let command = [CLIRunner.binary.path, "console", "--database", fixture.databaseURL]
            .map(TerminalSession.quote).joined(separator: " ")
        let terminal = try TerminalSession(command: command, environment: fixture.cli.environment.filter {
            ["XDG_DATA_HOME", "HOME", "CRM_BCRYPT_COST", "NO_COLOR", "PATH"].contains($0.key)
        })
        try await terminal.waitFor("crm>", timeout: 60)  // capture-pane drops the trailing blank
        return terminal
    }

    @Test("Tab completes a subcommand, a unit slug and a user's e-mail from the open database")
    func completion() async throws {
        let f = try await CLIFixture.make(.sqlite)
        try #require(try await f.crm("units", "create", "Loja Centro").status == 0)
        try #require(try await f.crm("units", "create", "Matriz").status == 0)
        try #require(
            try await f.crm(
                "users", "create", "--email", "ana@example.com", "--role", "super_admin", "--password-stdin",
                stdin: "Tr0ub4dor&3-console\n"
            ).status == 0
        )
        let terminal = try await console(f)

        try terminal.type("uni", enter: false)
        try terminal.press("Tab")
        try await terminal.waitFor("crm> units")
        try terminal.type("sh", enter: false)
        try terminal.press("Tab")
        try await terminal.waitFor("crm> units show")
        try terminal.type("lo", enter: false)
        try terminal.press("Tab")
        try await terminal.waitFor("crm> units show loja-centro")
        try terminal.press("Enter")
        try await terminal.waitFor("Name:             Loja Centro")

        try terminal.type("users show an", enter: false)
        try terminal.press("Tab")
        try await terminal.waitFor("crm> users show ana@example.com")
        try terminal.press("Enter")
        try await terminal.waitFor("super_admin")

        try terminal.type("exit")
        #expect(try await terminal.waitFor("[exit ").contains("[exit 0]"))
    }

    @Test("history: a line run in one session comes back with Up in the next; secrets stay out of the file")
    func history() async throws {
        let f = try await CLIFixture.make(.sqlite)
        try #require(try await f.crm("units", "create", "Loja").status == 0)
        let first = try await console(f)
        try first.type("units list")
        try await first.waitFor("loja")
        try first.type("whatsapp configure --unit loja --provider meta --access-token SECRET-IN-LINE")
        try await first.waitFor("Error: ")
        try first.press("C-d")
        #expect(try await first.waitFor("[exit ").contains("[exit 0]"))

        let file = f.folder.appendingPathComponent("crm/console_history")
        let saved = try String(contentsOf: file, encoding: .utf8)
        #expect(saved.contains("units list"), "\(saved)")
        #expect(!saved.contains("SECRET-IN-LINE"), "\(saved)")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let second = try await console(f)
        try second.press("Up")
        try await second.waitFor("crm> units list")
        try second.press("Enter")
        try await second.waitFor("SLUG")
        try second.type("quit")
        #expect(try await second.waitFor("[exit ").contains("[exit 0]"))
    }

    @Test("an error prints one line and the console goes on; Ctrl-C drops the line or stops a tail; console does not nest")
    func errorsAndInterrupts() async throws {
        let f = try await CLIFixture.make(.sqlite)
        let terminal = try await console(f)
        try terminal.type("units show nowhere")
        try await terminal.waitFor("Error: No unit 'nowhere'")
        try terminal.type("units frobnicate")
        try await terminal.waitFor("Unexpected argument 'frobnicate'")
        try terminal.type("units create \"Loja Nova\"")
        try await terminal.waitFor("loja-nova")
        try terminal.type("units delete loja-nova", enter: false)
        try await terminal.waitFor("crm> units delete loja-nova")  // on the line before Ctrl-C (a loaded CI run was quicker)
        try terminal.press("C-c")
        try await terminal.waitFor("crm> units delete loja-nova^C")
        try terminal.type("messages tail --unit loja-nova")
        try await terminal.waitFor("following the messages of loja-nova")
        try terminal.press("C-c")  // stops the tail, not the console: the next line runs
        try await Self.waitForPrompt(terminal)
        try terminal.type("console")
        try await terminal.waitFor("in the console already")
        try terminal.type("webhook serve")
        try await terminal.waitFor("another terminal")
        try terminal.type("units list")
        let screen = try await terminal.waitFor("SLUG")
        #expect(screen.contains("Loja Nova"), "\(screen)")
        try terminal.type("exit")
        #expect(try await terminal.waitFor("[exit ").contains("[exit 0]"))
        // Ctrl-C dropped the delete: the unit is still there.
        #expect(try await f.crm("units", "show", "loja-nova").status == 0)
    }

    /// Waits until the last line on the screen is an empty prompt: keys typed before it may be lost.
    static func waitForPrompt(_ terminal: TerminalSession) async throws {
        try await terminal.waitUntil("an empty prompt") { screen in
            let lines = screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return lines.last?.hasSuffix("crm>") == true  // "^Ccrm>" after an interrupted command
        }
    }

    @Test("piped: one command per line, every line runs, exit code of the last failure", arguments: TestDatabaseKind.available)
    func piped(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind)
        let script = """
            # set up two units
            units create "Loja Centro"
            units show nowhere
            units create Matriz --json
            units list --json
            """
        let result = try await f.cli.run(["console", "--database", f.databaseURL], stdin: script + "\n")
        #expect(result.status == 66, "\(result)")
        let errors = result.stderr.split(separator: "\n")
        #expect(errors.count == 1 && errors[0].hasPrefix("Error: No unit 'nowhere'"), "\(result.stderr)")
        #expect(!result.stdout.contains("crm> "), "no prompt when piped: \(result.stdout)")
        #expect(result.stdout.contains("\"slug\" : \"matriz\""), "\(result.stdout)")
        #expect(result.stdout.hasSuffix("]\n"), "the list's JSON comes last: \(result.stdout)")

        let clean = try await f.cli.run(["console", "--database", f.databaseURL], stdin: "units show matriz\nquit\nunits create Later\n")
        #expect(clean.status == 0, "\(clean)")
        #expect(clean.stdout.contains("Name:             Matriz"), "\(clean)")
        #expect(try await f.crm("units", "show", "later").status == 66, "quit stops reading the script")
    }
}
