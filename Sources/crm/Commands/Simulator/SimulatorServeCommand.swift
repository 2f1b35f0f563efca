import ArgumentParser
import CRMCore
import CRMSimulator
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `crm simulator serve`: the provider simulator in the foreground until Ctrl-C.
struct SimulatorServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the provider simulator until interrupted.",
        discussion: """
            An Evolution API v2 subset on loopback: instances, rotating QR codes, pairing on a simulated \
            scan, sends with delivery and read webhooks, inbound messages, injected faults. Point crm at it:

              crm simulator serve --port 8080 --api-key dev-key &
              export EVOLUTION_API_URL=http://127.0.0.1:8080 EVOLUTION_API_KEY=dev-key
              crm whatsapp connect --unit loja
              curl -X POST http://127.0.0.1:8080/_simulator/instances/crm-loja/scan

            Control surface (JSON bodies): POST /_simulator/instances/{instance}/scan|rotate|close|inbound, \
            POST /_simulator/faults, GET /_simulator/sent, GET and POST /_simulator/settings.
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one, printed at start).")
    var port = 8080

    @Option(help: "The global API key clients must send (Evolution's AUTHENTICATION_API_KEY).")
    var apiKey = "simulator-key"

    @Option(help: "Pair each new instance this many seconds after its first QR code, as if scanned.")
    var autoPair: Double?

    @Option(help: "Rotate unpaired instances' QR codes every this many seconds (0: never).")
    var qrRotation: Double = 20

    @Option(help: "Milliseconds between a send and each of its receipts (sent, delivered, read).")
    var ackDelay = 500

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard !apiKey.isEmpty else { throw ValidationError("--api-key must not be empty.") }
        guard ackDelay >= 0 else { throw ValidationError("--ack-delay must be 0 or more.") }
    }

    func run() async throws {
        let settings = SimulatorSettings(
            autoPairAfterSeconds: autoPair.flatMap { $0 > 0 ? $0 : nil },
            qrRotationSeconds: qrRotation > 0 ? qrRotation : nil,
            ackDelayMs: ackDelay
        )
        let simulator = EvolutionSimulator(
            configuration: .init(host: host, port: port, apiKey: apiKey, settings: settings), logger: Log.logger
        )
        let bound: Int
        do {
            bound = try await simulator.start()
        } catch {
            throw CRMError.unavailable("The simulator cannot listen on \(host):\(port) (in use?): choose another --port.")
        }
        // Written unbuffered: a script waits for this line to learn the port.
        FileHandle.standardOutput.write(Data(
            "Provider simulator listening on http://\(host):\(bound) (API key \(apiKey)). Ctrl-C to stop.\n".utf8))
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM])
        // On Ctrl-C or SIGTERM: stop (requests in flight finish, pending webhooks are dropped).
        let stopper = Task {
            guard await signals.next() != nil else { return }
            FileHandle.standardError.write(Data("Stopping the simulator…\n".utf8))
            await simulator.stop()
        }
        try? await simulator.waitUntilStopped()
        stopper.cancel()
        signals.stop()
    }
}
