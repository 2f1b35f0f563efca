import ArgumentParser
import CRMCore
import CRMProviders
import Foundation

/// `crm whatsapp qrcode --unit UNIT`: the provider's current QR code, once.
struct WhatsAppQRCodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qrcode",
        abstract: "Fetch a fresh QR code for a unit that waits for a scan, and show it once.",
        discussion: """
            Asks the provider for its current code (a closed instance starts a new session and gets a new \
            one) and records it. A connected unit needs no code: crm says so and exits 0. To follow the \
            pairing until connected, use `crm whatsapp connect`.
            """
    )

    @Option(help: "The unit's id or slug.")
    var unit: String

    @Option(help: "Also write the QR code to this PNG file.")
    var png: String?

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    struct Result: Encodable {
        var connection: ConnectionView
        var qr: String?
        var pairingCode: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(connection, forKey: .connection)
            try container.encode(qr, forKey: .qr)
            try container.encode(pairingCode, forKey: .pairingCode)
        }

        private enum CodingKeys: String, CodingKey { case connection, qr, pairingCode }
    }

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let pairing = WhatsAppSupport.pairing(context)
            let connection = try await pairing.existingConnection(for: unit)
            guard connection.provider != .meta else {
                throw CRMError.invalidInput(
                    "Meta Cloud API numbers are not paired with a QR code: run `crm whatsapp connect --unit \(unit.slug)` "
                        + "to check the credentials."
                )
            }
            let (code, status) = try await WhatsAppSupport.provider(for: connection, unit: unit).use { provider in
                try await pairing.freshQRCode(unit: unit, connection: connection, provider: provider)
            }
            if let code, let png { try QRImageFile.write(code.qr, to: png) }
            let result = Result(
                connection: ConnectionView(unit: unit, connection: connection, status: status), qr: code?.qr,
                pairingCode: code?.pairingCode
            )
            try context.output.emit(result) {
                guard let code else {
                    return WhatsAppSupport.connectedLine(unit: unit, status: status, already: true) + " No QR code to scan."
                }
                let drawing = (try? QRScreen.drawing(
                    of: code.qr, maxColumns: Terminal.columns(of: STDOUT_FILENO), colours: Terminal.colorsEnabled())) ?? ""
                return drawing + "Scan it in WhatsApp (Linked devices → Link a device); it expires in about 20 seconds."
                    + (code.pairingCode.map { "\nPairing code: \($0)" } ?? "")
            }
        }
    }
}
