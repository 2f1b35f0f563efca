import ArgumentParser

/// `crm whatsapp`: each unit's WhatsApp number.
struct WhatsAppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatsapp",
        abstract: "Configure a unit's WhatsApp provider (pairing, status and disconnect are on the way).",
        subcommands: [WhatsAppConfigureCommand.self]
    )
}
