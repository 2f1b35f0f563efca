import ArgumentParser
import CRMCore

/// `crm contacts opt-out PHONE --unit UNIT`
struct ContactsOptOutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opt-out",
        abstract: "Stop a unit's messages to a number: crm send refuses it (unless --force), campaigns skip it.",
        discussion: """
            The number may be international (+55 11 99876-5432) or national for the unit's country \
            (11 99876-5432). A number crm does not know yet gets a contact, so that it is blocked before \
            it ever writes. Opting out twice changes nothing (the first time is kept). Contacts also opt \
            out by themselves by writing one of the unit's opt-out keywords (crm units show).

            Examples:
              crm contacts opt-out "+55 11 99876-5432" --unit loja
              crm contacts opt-out 11998765432 --unit loja --json
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
            let change = try await OptOutService(store: context.store).optOut(unit: unit, phone: phone)
            try context.output.emit(OptOutView(change)) {
                let number = PhoneDisplay.masked(change.contact.phone ?? "")
                guard change.changed else {
                    let since = change.contact.optedOutAt.map { " since \($0.shortDisplay)" } ?? ""
                    return "\(number) was already opted out of unit \(unit.slug)\(since): nothing changed."
                }
                let new = change.created ? " (a new contact)" : ""
                return "Opted \(number)\(new) out of unit \(unit.slug): crm send refuses it unless --force, campaigns skip it."
            }
        }
    }
}
