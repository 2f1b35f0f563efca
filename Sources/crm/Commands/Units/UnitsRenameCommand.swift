import ArgumentParser
import CRMCore

/// `crm units rename UNIT NAME`
struct UnitsRenameCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename",
        abstract: "Change a unit's display name (the slug stays, so scripts and URLs keep working)."
    )

    @Argument(help: "The unit's id or slug.")
    var unit: String

    @Argument(help: "The new display name.")
    var name: String

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.rename(self.unit, to: name)
            try context.output.emit(UnitView(unit)) { "Renamed unit \(unit.slug) to '\(unit.name)'." }
        }
    }
}
