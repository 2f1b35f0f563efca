import ArgumentParser
import CRMCore
import CRMProviders
import Foundation

/// `crm whatsapp connect --unit UNIT`: pairs the unit's number (QR in the terminal) and follows the
/// state until connected.
struct WhatsAppConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Pair a unit's WhatsApp number: show the QR code and wait until it is scanned.",
        discussion: """
            Creates the unit's instance at the provider, or reuses it (a closed instance is reconnected, \
            not deleted), and registers the webhook URL BASE_URL/webhooks/whatsapp/<provider>/<secret>, \
            whose secret is generated on the first connect and kept afterwards. Then it draws the QR code \
            and, with --wait (the default on a terminal), redraws it when the provider rotates it and \
            follows qr → connecting → connected. Scan it in WhatsApp: Settings → Linked devices → Link a device.

            Meta Cloud API numbers have no QR code: connect checks the credentials with Meta and records \
            the number; set the printed webhook URL in your Meta app.

            Needs CRM_SECRET_KEY (the webhook secret is stored sealed), BASE_URL (or --base-url) and, for \
            Evolution, EVOLUTION_API_URL and EVOLUTION_API_KEY.

            Examples:
              crm whatsapp connect --unit loja
              crm whatsapp connect --unit loja --no-wait --json
              crm whatsapp connect --unit loja --png /tmp/qr.png --timeout 300
            """
    )

    @Option(help: "The unit's id or slug.")
    var unit: String

    @Option(help: "evolution, meta or zapi; the configured one by default (evolution for a new unit).")
    var provider: WhatsAppConfigureCommand.Provider?

    @Flag(inversion: .prefixedNo, help: "Wait until connected (default on a terminal), or show the QR once and exit.")
    var wait: Bool?

    @Option(help: "Seconds to wait for the scan (with --wait).")
    var timeout: Int = 180

    @Option(help: "Also write the QR code to this PNG file (rewritten when it rotates).")
    var png: String?

    @Flag(help: "Delete the provider's instance and create it again, with a new webhook secret.")
    var reset = false

    @Option(help: "The public URL of `crm webhook serve` (default: BASE_URL).")
    var baseURL: String?

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    /// How often the provider is asked while waiting.
    static let pollInterval: Duration = .seconds(1)
    /// Consecutive failed polls (timeouts, 5xx) tolerated before giving up.
    static let toleratedPollFailures = 5

    struct Result: Encodable {
        var connection: ConnectionView
        var qr: String?
        var pairingCode: String?
        var webhookURL: String
        var createdInstance: Bool
    }

    func validate() throws {
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout must be between 1 and 3600 seconds.") }
    }

    func run() async throws {
        let json = outputOptions.json
        let waits = wait ?? (Terminal.stdoutIsTerminal && !json)
        let base = try WhatsAppSupport.webhookBase(baseURL)
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let pairing = WhatsAppSupport.pairing(context)
            let connection = try await pairing.connection(for: unit, provider: provider?.kind)
            try await WhatsAppSupport.provider(for: connection, unit: unit).use { provider in
                let started = try await pairing.start(
                    unit: unit, connection: connection, provider: provider, baseURL: base, reset: reset
                )
                try await follow(started, unit: unit, pairing: pairing, provider: provider, context: context, waits: waits)
            }
        }
    }

    private func follow(
        _ started: PairingService.Started, unit: BusinessUnit, pairing: PairingService, provider: any WhatsAppProvider,
        context: CommandContext, waits: Bool
    ) async throws {
        let connection = started.connection
        func result(_ status: ConnectionStatus, code: QRCodeUpdate?) -> Result {
            Result(
                connection: ConnectionView(unit: unit, connection: connection, status: status), qr: code?.qr,
                pairingCode: code?.pairingCode, webhookURL: started.webhookURL, createdInstance: started.createdInstance
            )
        }
        guard var shown = started.qrCode else {
            try context.output.emit(result(started.status, code: nil)) {
                var lines = [WhatsAppSupport.connectedLine(unit: unit, status: started.status, already: connection.provider != .meta)]
                if connection.provider == .meta {
                    lines[0] = "Meta accepted the credentials of unit \(unit.slug): " + lines[0].lowercased()
                    lines.append("Set this callback URL in your Meta app's WhatsApp webhook settings, with the unit's verify token:")
                    lines.append("  \(started.webhookURL)")
                }
                return lines.joined(separator: "\n")
            }
            return
        }
        if let png { try QRImageFile.write(shown.qr, to: png) }
        guard waits else {
            try context.output.emit(result(started.status, code: shown)) {
                let drawing = (try? QRScreen.drawing(of: shown.qr, maxColumns: Terminal.columns(of: STDOUT_FILENO), colours: Terminal.colorsEnabled())) ?? ""
                return drawing + "Scan it in WhatsApp (Linked devices → Link a device), then check with "
                    + "`crm whatsapp status --unit \(unit.slug)`." + (shown.pairingCode.map { "\nPairing code: \($0)" } ?? "")
            }
            return
        }
        let screen = QRScreen(onStandardError: context.output.json)
        screen.show(code: shown.qr, status: waitingLine(shown, since: Date()))
        let deadline = ContinuousClock.now + .seconds(timeout)
        var failures = 0
        var status = started.status
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: Self.pollInterval)
            do {
                let (next, newCode) = try await pairing.poll(unit: unit, connection: connection, provider: provider, shownCode: shown.qr)
                failures = 0
                status = next
                if let newCode {
                    shown = newCode
                    if let png { try QRImageFile.write(newCode.qr, to: png) }
                    screen.show(code: newCode.qr, status: waitingLine(newCode, since: Date()))
                }
            } catch let error as ProviderError where error.isRetryable {
                failures += 1
                guard failures < Self.toleratedPollFailures else { throw error }
                screen.update(status: "Provider not answering (\(error.message)); retrying…")
                continue
            }
            switch status.state {
            case .connected:
                screen.finish(WhatsAppSupport.connectedLine(unit: unit, status: status, already: false))
                if context.output.json { try context.output.emit(result(status, code: nil)) { "" } }
                return
            case .connecting:
                screen.update(status: "Scanned: connecting…")
            case .qr:
                break
            case .disconnected:
                screen.finish("The provider closed the session.")
                throw CRMError.unavailable(
                    "\(WhatsAppSupport.providerName(connection.provider)) closed the session before it connected "
                        + "(the QR codes expired?): run `crm whatsapp connect --unit \(unit.slug)` again."
                )
            }
        }
        screen.finish("Stopped waiting.")
        throw CRMError(.timedOut,
            "No scan within \(timeout) s: unit \(unit.slug) is still waiting (\(status.state.rawValue)); run "
                + "`crm whatsapp connect --unit \(unit.slug)` again, or `crm whatsapp status --unit \(unit.slug)` to check.")
    }

    private func waitingLine(_ code: QRCodeUpdate, since date: Date) -> String {
        let pairing = code.pairingCode.map { " — or enter pairing code \($0)" } ?? ""
        return "Waiting for the scan (code of \(date.timeDisplay))\(pairing). Ctrl-C to stop."
    }
}
