import ArgumentParser

/// `crm messages`: what a unit sent and received.
struct MessagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages",
        abstract: "List, show and follow a unit's WhatsApp messages.",
        subcommands: [MessagesListCommand.self, MessagesShowCommand.self, MessagesTailCommand.self]
    )
}
