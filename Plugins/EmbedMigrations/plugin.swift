import Foundation
import PackagePlugin

/// Embeds the SQL migrations of `db/sqlite` and `db/postgres` into the target that uses this plugin,
/// so that the `crm` binary carries its schema and `db/` stays the single source of it.
@main
struct EmbedMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let database = context.package.directoryURL.appending(path: "db")
        var inputs: [URL] = []
        for dialect in ["sqlite", "postgres"] {
            let folder = database.appending(path: dialect)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            inputs += names.filter { $0.hasSuffix(".sql") }.sorted().map { folder.appending(path: $0) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedMigrationFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) SQL migrations",
                executable: try context.tool(named: "EmbedMigrationsTool").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
