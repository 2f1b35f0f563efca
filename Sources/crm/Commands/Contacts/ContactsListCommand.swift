import ArgumentParser
import CRMCore

/// `crm contacts list --unit UNIT [--limit N]`
struct ContactsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List a unit's contacts, most recently updated first.",
        discussion: "Example: crm contacts list --unit loja-centro --json | jq -r '.[].phone'"
    )

    @Option(help: "The unit's id or slug.")
    var unit: String

    @Option(help: "At most this many contacts (1 to 1000).")
    var limit = 50

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let limit = try MessagingArguments.limit(limit)
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let contacts = try await context.messageReads.contacts(unitId: unit.id, limit: limit)
            try context.output.emit(contacts.map(ContactView.init)) {
                guard !contacts.isEmpty else { return "No contacts yet in \(unit.slug)." }
                var table = Table("PHONE", "NAME", "LID", "OPTED OUT", "UPDATED", "ID")
                for contact in contacts {
                    table.add(
                        contact.phone.map { "+" + $0 } ?? "-", contact.name ?? "", contact.lid ?? "",
                        contact.optedOut ? "yes" : "no", contact.updatedAt.shortDisplay, contact.id.text
                    )
                }
                return context.output.table(table)
            }
        }
    }
}
