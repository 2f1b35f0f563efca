import ArgumentParser
import CRMCore
import CRMProviders
import Foundation

/// `crm whatsapp disconnect --unit UNIT [--yes]`: logs the number out at the provider.
struct WhatsAppDisconnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disconnect",
        abstract: "Log a unit's WhatsApp number out and record the disconnection.",
        discussion: """
            The provider's instance is kept (connect pairs it again with a new scan). Asks for \
            confirmation on a terminal; scripts pass --yes. For Meta Cloud API nothing is changed at \
            Meta: crm stops using the number until `crm whatsapp connect`.
            """
    )

    @Option(help: "The unit's id or slug.")
    var unit: String

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let pairing = WhatsAppSupport.pairing(context)
            let connection = try await pairing.existingConnection(for: unit)
            if !yes {
                let number = connection.status.phone.map { " (\(PhoneDisplay.masked($0)))" } ?? ""
                let confirmed = try Terminal.confirm(
                    "Log out unit \(unit.slug)'s WhatsApp number\(number)? Reconnecting needs a new scan.",
                    refusal: "Not disconnecting unit \(unit.slug) without confirmation: pass --yes."
                )
                guard confirmed else { throw CRMError(.notConfirmed, "Cancelled: unit \(unit.slug) stays connected.") }
            }
            let status = try await WhatsAppSupport.provider(for: connection, unit: unit).use { provider in
                try await pairing.disconnect(unit: unit, connection: connection, provider: provider)
            }
            let view = ConnectionView(unit: unit, connection: connection, status: status)
            try context.output.emit(view) {
                "Unit \(unit.slug) is disconnected\(view.phone.map { " (was \($0))" } ?? "")."
            }
        }
    }
}
