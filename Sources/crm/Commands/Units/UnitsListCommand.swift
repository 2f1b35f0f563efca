import ArgumentParser
import CRMCore

/// `crm units list`
struct UnitsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List units.",
        discussion: "Example: crm units list --json | jq -r '.[].slug'"
    )

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let units = try await context.units.list()
            try context.output.emit(units.map { UnitView($0) }) {
                guard !units.isEmpty else { return "No units yet: create one with 'crm units create NAME'." }
                var table = Table("SLUG", "NAME", "COUNTRY", "TIMEZONE", "CREATED", "ID")
                for unit in units {
                    table.add(
                        unit.slug, unit.name, "+" + unit.defaultCountryCode, unit.timezone,
                        unit.createdAt.shortDisplay, unit.id.text
                    )
                }
                return context.output.table(table)
            }
        }
    }
}
