import ArgumentParser
import CRMCore
import CRMStore

/// `crm console`: an interactive session in which crm's commands run without `crm`, against one
/// open database.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "An interactive session: run crm's commands without `crm`, on one open database.",
        discussion: """
            Opens the database once (--database, else the usual default) and reads commands: \
            `units list`, `users show ana@example.com`, `help`, `help units create`, `exit`. Line \
            editing and Tab completion (commands, options, unit slugs, user e-mails) come from GNU \
            readline; the history is kept in the data folder (console_history, next to the default \
            database). Ctrl-C drops the line being typed or stops the running command; Ctrl-D, exit \
            or quit leave. A failing command prints its error and the console goes on.

            When standard input is not a terminal, the console reads one command per line with no \
            prompt, runs every line, and exits 0 if all succeeded, else with the code of the last \
            command that failed. Commands then get an empty standard input.

            Examples:
              crm console
              crm console --database postgres://crm@db.internal/crm
              printf 'units create Loja\\nunits list --json\\n' | crm console
            """
    )

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard CommandContext.session == nil else {
            throw CRMError.invalidInput("You are in the console already: type the command without `console`.")
        }
        let choice = try DatabaseResolver.resolve(databaseOptions.database)
        let database = try await CRMDatabase.open(choice.location, createFolder: choice.isDefault, logger: Log.logger)
        let session = ConsoleSession(database: SessionDatabase(database: database, option: databaseOptions.database))
        let status: Int32
        do {
            if Terminal.stdinIsTerminal {
                status = try await session.interactive()
            } else {
                status = await session.script()
            }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        if status != 0 { throw ExitCode(status) }
    }
}
