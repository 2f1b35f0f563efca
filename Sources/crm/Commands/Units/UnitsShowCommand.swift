import ArgumentParser
import CRMCore

/// `crm units show UNIT`
struct UnitsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a unit, its opt-out keywords, and how many users, contacts, messages and campaigns it has."
    )

    @Argument(help: "The unit's id or slug.")
    var unit: String

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let counts = try await context.units.footprint(of: unit)
            try context.output.emit(UnitView(unit, counts: counts)) {
                """
                Name:             \(unit.name)
                Slug:             \(unit.slug)
                ID:               \(unit.id.text)
                Country code:     +\(unit.defaultCountryCode)
                Time zone:        \(unit.timezone)
                Opt-out keywords: \(UnitView.keywordsText(unit))
                Created:          \(unit.createdAt.shortDisplay)
                Updated:          \(unit.updatedAt.shortDisplay)
                Users:            \(counts.users)
                Contacts:         \(counts.contacts)
                Messages:         \(counts.messages)
                Campaigns:        \(counts.campaigns)
                """
            }
        }
    }
}
