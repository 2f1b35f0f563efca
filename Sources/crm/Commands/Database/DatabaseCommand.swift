import ArgumentParser

/// `crm db`: the schema.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Apply and inspect the database schema migrations.",
        subcommands: [DatabaseMigrateCommand.self, DatabaseStatusCommand.self]
    )
}
