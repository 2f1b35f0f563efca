import ArgumentParser

/// `crm conversations`: a unit's threads, one per contact.
struct ConversationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversations",
        abstract: "List a unit's conversations (one per contact).",
        subcommands: [ConversationsListCommand.self]
    )
}
