import ArgumentParser
import CRMCore
import CRMStore
import Foundation

/// `crm db migrate`
struct DatabaseMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations, each in its own transaction.",
        discussion: """
            Safe to run twice (the second run does nothing) and from several processes at once \
            (they take a lock and wait for each other). Run it on PostgreSQL after each upgrade of crm; \
            an embedded SQLite file is migrated automatically by every command.

            Example: crm db migrate --database "$DATABASE_URL"
            """
    )

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    struct Result: Encodable {
        var applied: [AppliedMigration]
        var version: Int?
        var database: String
    }

    struct AppliedMigration: Encodable {
        var version: Int
        var name: String
    }

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions, schema: .asIs) { context in
            let migrator = context.database.migrator
            let applied = try await migrator.migrate()
            let version = try await migrator.status().filter(\.isApplied).last?.version
            let result = Result(
                applied: applied.map { AppliedMigration(version: $0.version, name: $0.name) }, version: version,
                database: context.database.location.displayName
            )
            try context.output.emit(result) {
                if applied.isEmpty {
                    return "The database is up to date (version \(version.map(String.init) ?? "none"))."
                }
                return applied.map { "Applied \($0.label)" }.joined(separator: "\n")
                    + "\nThe database is at version \(version.map(String.init) ?? "none")."
            }
        }
    }
}
