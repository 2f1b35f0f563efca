import ArgumentParser
import CRMCore
import Foundation

/// Runs one console line: a word the console knows (`exit`, `quit`, `help`), or a crm command,
/// parsed by crm's own parser and run on the session's open database. A failing command prints
/// the CLI's one-line error and gives its exit code; the console goes on.
struct ConsoleDispatcher {
    enum Outcome: Equatable {
        /// A command ran (or was refused): its exit code.
        case ran(Int32)
        /// A blank line or a comment.
        case nothing
        /// `exit` or `quit`.
        case leave
    }

    let session: SessionDatabase
    /// Ctrl-C handling (interactive only; a script is stopped by Ctrl-C as a shell script is).
    let interrupts: ConsoleInterrupts?

    func run(_ line: String) async -> Outcome {
        var arguments: [String]
        do {
            arguments = try ConsoleLineSplitter.split(line)
        } catch {
            return .ran(ErrorReporter.report(error))
        }
        if arguments.first == "crm" { arguments.removeFirst() }  // typed out of habit
        guard let first = arguments.first else { return .nothing }
        if ["exit", "quit"].contains(first) { return .leave }
        if arguments == ["help"] {
            print(ConsoleHelp.text())
            return .ran(0)
        }
        let parsed: any ParsableCommand
        do {
            parsed = try CRM.parseAsRoot(arguments)
        } catch {
            return .ran(ErrorReporter.argumentParserMessage(error))  // help, usage errors: as the CLI prints them
        }
        if let refusal = Self.refusal(for: parsed) {
            return .ran(ErrorReporter.report(CRMError.invalidInput(refusal)))
        }
        let command = ParsedCommand(command: parsed)
        let task = Task { [session] in
            await CommandContext.$session.withValue(session) {
                do {
                    try await command.run()
                    return Int32(0)
                } catch {
                    return ErrorReporter.report(error)
                }
            }
        }
        let status: Int32
        if let interrupts {
            status = await interrupts.run(task)
        } else {
            status = await task.value
        }
        fflush(nil)  // print() buffers when stdout is a pipe: this command's output before the next one's
        return .ran(status)
    }

    /// Why a command does not run in the console, if it does not: servers that run until stopped
    /// and open databases or ports of their own belong in a terminal of their own.
    static func refusal(for command: any ParsableCommand) -> String? {
        switch command {
        case is ConsoleCommand:
            "You are in the console already: type the command without `console`."
        case is WebhookServeCommand, is ServeCommand:
            "The listener runs until it is stopped, with a connection pool of its own: run `crm webhook serve` in another terminal."
        case is SimulatorServeCommand:
            "The simulator runs until it is stopped: run `crm simulator serve` in another terminal."
        case is DemoCommand:
            "The demo runs its own servers on a temporary database: run `crm demo` outside the console."
        default:
            nil
        }
    }
}

/// A parsed command handed to the task that runs it (ArgumentParser's commands are not Sendable;
/// this one is used by that task alone).
private struct ParsedCommand: @unchecked Sendable {
    let command: any ParsableCommand

    /// Runs it as `CRM.main` does.
    func run() async throws {
        var runnable = command
        if var asyncCommand = runnable as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try runnable.run()
        }
    }
}
