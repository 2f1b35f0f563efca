import ArgumentParser

/// `crm contacts`: the people a unit talks to.
struct ContactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "List a unit's contacts; opt them out of messages and back in.",
        subcommands: [ContactsListCommand.self, ContactsOptOutCommand.self, ContactsOptInCommand.self]
    )
}
