import ArgumentParser
import CRMCore
import CRMStore
import Foundation

/// `crm db status`
struct DatabaseStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List applied and pending migrations, without changing anything."
    )

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    struct Result: Encodable {
        var database: String
        var dialect: String
        var pending: Int
        var migrations: [MigrationState]
    }

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions, schema: .asIs) { context in
            let states = try await context.database.migrator.status()
            let pending = states.filter { !$0.isApplied }.count
            let result = Result(
                database: context.database.location.displayName,
                dialect: context.database.location.dialect.rawValue, pending: pending, migrations: states
            )
            try context.output.emit(result) {
                var table = Table("VERSION", "NAME", "STATE", "APPLIED")
                for state in states {
                    let label = state.unknownToThisBinary ? "applied (unknown to this crm)"
                        : !state.isApplied ? "pending"
                        : state.matchesFile ? "applied" : "applied (file changed since)"
                    table.add(
                        String(format: "%04d", state.version), state.name, label,
                        state.appliedAt?.shortDisplay ?? "-"
                    )
                }
                let summary = pending == 0
                    ? "Up to date." : "\(pending) pending: run 'crm db migrate'."
                return "Database: \(result.database)\n\n\(context.output.table(table))\n\n\(summary)"
            }
        }
    }
}
