import ArgumentParser
import CRMCore
import CRMStore

/// The database `crm console` keeps open for its whole session. While it is set (a task-local
/// value, so only the console's commands see it), `CommandContext.with` runs each command on it
/// instead of opening and closing a connection of its own: a series of commands is instant.
struct SessionDatabase: Sendable {
    let database: CRMDatabase
    /// The `--database` given to `crm console`, if any (`crm doctor` opens it again to test it).
    let option: String?

    /// `CommandContext.with`, on the open database: the schema is checked as a command would, and
    /// the database stays open afterwards. A command's own `--database` is refused: the session has one.
    func run<T>(
        _ databaseOptions: DatabaseOptions, _ outputOptions: OutputOptions, schema: CommandContext.SchemaPolicy,
        noticesAsLog: Bool, _ body: (CommandContext) async throws -> T
    ) async throws -> T {
        if databaseOptions.database != nil {
            throw CRMError.invalidInput(
                "The console uses one database for the whole session: leave out --database, or start `crm console --database URL`."
            )
        }
        var output = outputOptions.output
        output.noticesAsLog = noticesAsLog
        let context = CommandContext(database: database, output: output)
        if schema == .current { try await context.ensureCurrentSchema() }
        return try await body(context)
    }
}

extension CommandContext {
    /// Inside `crm console`: the session's open database.
    @TaskLocal static var session: SessionDatabase?
}
