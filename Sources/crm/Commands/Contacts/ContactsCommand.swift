import ArgumentParser

/// `crm contacts`: the people a unit talks to.
struct ContactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "List a unit's contacts.",
        subcommands: [ContactsListCommand.self]
    )
}
