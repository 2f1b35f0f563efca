import ArgumentParser

/// `crm whatsapp`: each unit's WhatsApp number.
struct WhatsAppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatsapp",
        abstract: "Pair, watch and disconnect each unit's WhatsApp number.",
        subcommands: [
            WhatsAppConfigureCommand.self, WhatsAppConnectCommand.self, WhatsAppStatusCommand.self,
            WhatsAppQRCodeCommand.self, WhatsAppDisconnectCommand.self,
        ]
    )
}
