import ArgumentParser

/// `crm simulator`: the WhatsApp provider simulator, for trying crm without a phone.
struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Run a WhatsApp provider simulator (an Evolution API-compatible server) for trying crm.",
        subcommands: [SimulatorServeCommand.self]
    )
}
