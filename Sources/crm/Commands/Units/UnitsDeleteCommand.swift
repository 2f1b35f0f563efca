import ArgumentParser
import CRMCore

/// `crm units delete UNIT [--yes]`
struct UnitsDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a unit with all its users, contacts, conversations, messages and campaigns.",
        discussion: "Asks for confirmation on a terminal; scripts must pass --yes."
    )

    @Argument(help: "The unit's id or slug.")
    var unit: String

    @Flag(name: [.long, .customShort("y")], help: "Delete without asking.")
    var yes = false

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            if !yes {  // the counts only serve the question
                let counts = try await context.units.footprint(of: unit)
                let what = counts.isEmpty
                    ? "It has no users, contacts, messages or campaigns."
                    : "This also deletes \(counts.users) user(s), \(counts.contacts) contact(s), "
                        + "\(counts.messages) message(s) and \(counts.campaigns) campaign(s)."
                try Terminal.requireConfirmation(
                    question: "Delete unit '\(unit.name)' (\(unit.slug))? \(what)", subject: "unit \(unit.slug)"
                )
            }
            try await context.units.delete(unit)
            try context.output.emit(DeletedView(id: unit.id.text, kind: "unit")) {
                "Deleted unit '\(unit.name)' (\(unit.slug))."
            }
        }
    }
}
