import ArgumentParser
import CRMCore
import CRMProviders
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `crm whatsapp status --unit UNIT [--watch]`: the connection's state, from the provider when it
/// answers, from the database otherwise.
struct WhatsAppStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a unit's WhatsApp connection: state, number, timestamps.",
        discussion: """
            Asks the provider first and records what it says; when the provider cannot be reached (or \
            its credentials are missing), shows what the database holds and says so. The number is masked.

            With --watch the status is refreshed every 2 seconds until Ctrl-C: redrawn in place on a \
            terminal, one line (with --json, one compact JSON document) per change otherwise.
            """
    )

    @Option(help: "The unit's id or slug.")
    var unit: String

    @Flag(help: "Refresh every 2 seconds until interrupted.")
    var watch = false

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    struct Result: Encodable {
        var connection: ConnectionView
        /// "provider" or "database".
        var source: String
        /// Why the provider was not asked or did not answer.
        var sourceNote: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(connection, forKey: .connection)
            try container.encode(source, forKey: .source)
            try container.encode(sourceNote, forKey: .sourceNote)
        }

        private enum CodingKeys: String, CodingKey { case connection, source, sourceNote }
    }

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let pairing = WhatsAppSupport.pairing(context)
            let connection = try await pairing.existingConnection(for: unit)
            let handle: ProviderHandle?
            var note: String?
            do {
                handle = try WhatsAppSupport.provider(for: connection, unit: unit)
            } catch let error as CRMError {
                handle = nil
                note = error.message
            }
            func current() async -> Result {
                let (status, source) = await pairing.refreshStatus(unit: unit, connection: connection, provider: handle?.provider)
                let view = ConnectionView(unit: unit, connection: connection, status: status)
                switch source {
                case .provider: return Result(connection: view, source: "provider", sourceNote: nil)
                case .database(let reason): return Result(connection: view, source: "database", sourceNote: note ?? reason)
                }
            }
            let first = await current()
            guard watch else {
                await handle?.shutdown()
                try context.output.emit(first) { human(first) }
                return
            }
            // Runs until Ctrl-C or SIGTERM, which end it cleanly (exit 0).
            let signals = SignalWatcher(signals: [SIGINT, SIGTERM])
            try await watchLoop(first: first, context: context, signals: signals, next: current)
            signals.stop()
            await handle?.shutdown()
        }
    }

    private func human(_ result: Result) -> String {
        var lines = result.connection.lines
        let provider = WhatsAppSupport.providerName(ProviderKind(rawValue: result.connection.provider) ?? .evolution)
        lines.append(("Source", result.source == "provider"
            ? "\(provider), just now"
            : "database (\(provider) not asked: \(result.sourceNote ?? "unknown reason"))"))
        return ConnectionView.render(lines)
    }

    private func watchLoop(first: Result, context: CommandContext, signals: SignalWatcher, next: () async -> Result) async throws {
        let inPlace = Terminal.stdoutIsTerminal && !context.output.json
        var previous: String?
        var drawnLines = 0
        var result = first
        while true {
            let text: String
            if context.output.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = Output.encoder.dateEncodingStrategy
                text = String(decoding: try encoder.encode(result), as: UTF8.self)
            } else if inPlace {
                text = human(result) + "\n(refreshed \(Date().timeDisplay); Ctrl-C to stop)"
            } else {
                let view = result.connection
                text = "\(ISO8601.string(Date())) \(view.state)\(view.statusReason.map { " (\($0))" } ?? "")"
                    + " \(view.phone ?? "") [\(result.source)]"
            }
            // Without a terminal, only changes are printed (a timestamp alone is not a change).
            let comparable = inPlace || context.output.json ? text : String(text.drop { $0 != " " })
            if inPlace {
                let erase = drawnLines > 0 ? "\r\u{1B}[\(drawnLines)A\u{1B}[J" : ""
                FileHandle.standardOutput.write(Data((erase + text + "\n").utf8))
                drawnLines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            } else if comparable != previous {
                FileHandle.standardOutput.write(Data((text + "\n").utf8))
            }
            previous = comparable
            if await signals.sleep(for: .seconds(2)) { return }
            result = await next()
        }
    }
}
