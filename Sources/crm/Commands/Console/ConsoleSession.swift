import CRMCore
import CRMStore
import Foundation

/// One console session on an open database: at a terminal, a prompt with line editing; on a
/// pipe or a file, one command per line and nothing else printed.
struct ConsoleSession {
    let database: SessionDatabase
    static let prompt = "crm> "

    /// At a terminal. Ends with exit code 0 on `exit`, `quit` or Ctrl-D, whatever the commands did
    /// (each command's error was printed when it happened).
    func interactive() async throws -> Int32 {
        let interrupts = try ConsoleInterrupts()
        let editor = LineEditor(history: ConsoleHistory.inDataFolder(), interrupts: interrupts)
        let dispatcher = ConsoleDispatcher(session: database, interrupts: interrupts)
        print(
            "crm \(CRMVersion.current) console on \(database.database.location.displayName). "
                + "Type help for the commands, exit or Ctrl-D to leave."
        )
        while true {
            LineEditor.completer = await completer()
            switch await editor.read(prompt: Self.prompt) {
            case .endOfInput:
                return 0
            case .interrupted:
                continue
            case .line(let line):
                if await dispatcher.run(line) == .leave { return 0 }
            }
        }
    }

    /// Reading a script from stdin. Every line runs, even after a failure (its error is printed);
    /// the exit code is 0 when every command succeeded, else the code of the last one that failed.
    /// `exit` or `quit` stops reading.
    func script() async -> Int32 {
        let reader = ScriptReader()
        let dispatcher = ConsoleDispatcher(session: database, interrupts: nil)
        var lastFailure: Int32 = 0
        while let line = await reader.next() {
            switch await dispatcher.run(line) {
            case .leave: return lastFailure
            case .ran(let status) where status != 0: lastFailure = status
            case .ran, .nothing: continue
            }
        }
        return lastFailure
    }

    /// Tab's candidates with the database's unit slugs and user e-mails as they are now (none
    /// while the database has no schema yet).
    func completer() async -> ConsoleCompleter {
        let context = CommandContext(database: database.database, output: Output(json: false))
        let slugs = (try? await context.units.list().map(\.slug)) ?? []
        let emails = (try? await context.users.list(unit: nil, role: nil).map(\.email)) ?? []
        return ConsoleCompleter(tree: .crm, unitSlugs: slugs, userEmails: emails)
    }
}
