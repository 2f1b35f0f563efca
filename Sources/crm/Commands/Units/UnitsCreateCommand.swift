import ArgumentParser
import CRMCore

/// `crm units create NAME [--slug SLUG]`
struct UnitsCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a unit.",
        discussion: """
            The slug is derived from the name unless given: "São Paulo Centro" becomes sao-paulo-centro.

            Examples:
              crm units create "São Paulo Centro"
              crm units create "Loja 2" --slug loja-2 --country-code 351 --timezone Europe/Lisbon --json
            """
    )

    @Argument(help: "The unit's display name (1 to 200 characters).")
    var name: String

    @Option(help: "Short unique name used in commands and URLs (lowercase letters, digits, hyphens).")
    var slug: String?

    @Option(help: "Country calling code that completes local phone numbers (default 55).")
    var countryCode: String?

    @Option(help: "IANA time zone of the unit, for campaign windows (default America/Sao_Paulo).")
    var timezone: String?

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.create(
                name: name, slug: slug, countryCode: countryCode, timezone: timezone
            )
            try context.output.emit(UnitView(unit)) {
                "Created unit '\(unit.name)' (slug \(unit.slug), id \(unit.id.text))."
            }
        }
    }
}
