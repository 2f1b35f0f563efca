import ArgumentParser
import CRMCore

/// `crm units update UNIT [--name NAME] [--country-code CODE] [--timezone ZONE]
/// [--opt-out-keywords LIST | --default-opt-out-keywords]`
struct UnitsUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change a unit's name, country code, time zone or opt-out keywords (the slug stays).",
        discussion: """
            Only the settings given change; each is checked before anything is written.

            A contact whose message is, whole, one of the unit's opt-out keywords is opted out: case, \
            accents and punctuation around it do not count ("Parar!" matches PARAR, "quero parar" does \
            not). The defaults are STOP, PARAR, SAIR and CANCELAR. A running listener uses new keywords \
            within a second. See also: crm contacts opt-out|opt-in.

            Examples:
              crm units update loja --opt-out-keywords "STOP,PARAR,SAIR,CANCELAR,DESCADASTRAR"
              crm units update loja --default-opt-out-keywords
              crm units update loja --name "Loja Centro" --timezone America/Recife --json
            """
    )

    @Argument(help: "The unit's id or slug.")
    var unit: String

    @Option(help: "A new display name (1 to 200 characters).")
    var name: String?

    @Option(help: "The country calling code that completes local phone numbers.")
    var countryCode: String?

    @Option(help: "The IANA time zone, for campaign windows.")
    var timezone: String?

    @Option(help: ArgumentHelp(
        "The unit's own opt-out keywords, comma-separated (1 to 20, each up to 30 characters).", valueName: "list"))
    var optOutKeywords: String?

    @Flag(help: "Use crm's default opt-out keywords again (STOP, PARAR, SAIR, CANCELAR).")
    var defaultOptOutKeywords = false

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        if optOutKeywords != nil && defaultOptOutKeywords {
            throw ValidationError("Give --opt-out-keywords or --default-opt-out-keywords, not both.")
        }
        if name == nil && countryCode == nil && timezone == nil && optOutKeywords == nil && !defaultOptOutKeywords {
            throw ValidationError(
                "Nothing to change: give --name, --country-code, --timezone, --opt-out-keywords or --default-opt-out-keywords.")
        }
    }

    func run() async throws {
        let keywords: UnitChanges.Keywords? = if let optOutKeywords {
            .own(try OptOutKeywords.parse(optOutKeywords))
        } else if defaultOptOutKeywords {
            .defaults
        } else {
            nil
        }
        let changes = UnitChanges(name: name, countryCode: countryCode, timezone: timezone, optOutKeywords: keywords)
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.update(self.unit, changes)
            try context.output.emit(UnitView(unit)) {
                var changed: [String] = []
                if changes.name != nil { changed.append("name '\(unit.name)'") }
                if changes.countryCode != nil { changed.append("country code +\(unit.defaultCountryCode)") }
                if changes.timezone != nil { changed.append("time zone \(unit.timezone)") }
                if changes.optOutKeywords != nil { changed.append("opt-out keywords \(UnitView.keywordsText(unit))") }
                return "Updated unit \(unit.slug): \(changed.joined(separator: ", "))."
            }
        }
    }
}

extension UnitView {
    /// "STOP, PARAR, SAIR, CANCELAR (the defaults)".
    static func keywordsText(_ unit: BusinessUnit) -> String {
        unit.effectiveOptOutKeywords.words.joined(separator: ", ") + (unit.optOutKeywords == nil ? " (the defaults)" : "")
    }
}
