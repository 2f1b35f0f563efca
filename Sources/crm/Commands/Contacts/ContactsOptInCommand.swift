import ArgumentParser
import CRMCore

/// `crm contacts opt-in PHONE --unit UNIT`
struct ContactsOptInCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opt-in",
        abstract: "Let a unit message an opted-out number again.",
        discussion: """
            Undoes an opt-out, whether the contact wrote an opt-out keyword or crm contacts opt-out was \
            run; do it only when the person asked. A number crm does not know is an error (exit 66): it \
            was never opted out.

            Examples:
              crm contacts opt-in "+55 11 99876-5432" --unit loja
              crm contacts opt-in 11998765432 --unit loja --json
            """
    )

    @Argument(help: "The contact's phone number.")
    var phone: String

    @Option(help: "The unit's id or slug.")
    var unit: String

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let change = try await OptOutService(store: context.store).optIn(unit: unit, phone: phone)
            try context.output.emit(OptOutView(change)) {
                let number = PhoneDisplay.masked(change.contact.phone ?? "")
                guard change.changed else { return "\(number) was not opted out of unit \(unit.slug): nothing changed." }
                return "Opted \(number) back in to unit \(unit.slug): it can receive messages again."
            }
        }
    }
}
