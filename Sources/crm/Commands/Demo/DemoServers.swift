import CRMCore
import CRMProviders
import CRMServer
import CRMSimulator
import CRMStore
import Foundation
import Logging

/// The two servers of `crm demo`, in this process on free loopback ports: the provider simulator
/// (Evolution API and the phone behind it) and the listener (`crm webhook serve`), which receives
/// the simulator's webhooks into the demo's database. `with` stops both whatever happens.
struct DemoServers: Sendable {
    let simulator: EvolutionSimulator
    let simulatorURL: String
    let listenerURL: String
    /// The simulator's global API key: made up for this run, like the secret key.
    let apiKey: String

    /// What `ProviderClients.make` reads, pointing at the simulator (instead of the process's environment).
    var providerEnvironment: [String: String] {
        [ProviderClients.evolutionURLVariable: simulatorURL, ProviderClients.evolutionKeyVariable: apiKey]
    }

    /// Starts the simulator, then the listener; runs `body`; stops both (the simulator first, so
    /// that no webhook is posted to a listener going away), also when `body` throws or is cancelled.
    static func with<T: Sendable>(
        ingestion: WebhookIngestion, database: CRMDatabase, settings: SimulatorSettings,
        _ body: (DemoServers) async throws -> T
    ) async throws -> T {
        let logger = Log.logger
        let apiKey = "demo-" + UUID().uuidString.lowercased()
        let simulator = EvolutionSimulator(configuration: .init(apiKey: apiKey, settings: settings), logger: logger)
        let simulatorPort: Int
        do {
            simulatorPort = try await simulator.start()
        } catch {
            await simulator.stop()
            throw CRMError.unavailable("The provider simulator could not listen on a loopback port (\(Self.reason(error))).")
        }
        let listener: Listener
        do {
            listener = try await startListener(ingestion: ingestion, database: database, logger: logger)
        } catch {
            await simulator.stop()
            throw error
        }
        let servers = DemoServers(
            simulator: simulator, simulatorURL: "http://127.0.0.1:\(simulatorPort)",
            listenerURL: "http://127.0.0.1:\(listener.port)", apiKey: apiKey
        )
        func stop() async {
            await simulator.stop()
            listener.stop()
            _ = await listener.task.result
        }
        do {
            let result = try await body(servers)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }

    /// The listener's task, its port, and how to stop it.
    private struct Listener {
        let task: Task<Void, any Error>
        let port: Int
        /// Starts the listener's graceful stop (no request is in flight by then: the simulator stopped first).
        let stop: @Sendable () -> Void
    }

    /// Runs the listener in a task of its own until `stop`; returns once it listens (or throws
    /// when it could not, leaving nothing running).
    private static func startListener(ingestion: WebhookIngestion, database: CRMDatabase, logger: Logger) async throws -> Listener {
        let server = WebhookServer(
            configuration: ListenerConfiguration(host: "127.0.0.1", port: 0, shutdownGracePeriod: .seconds(2)),
            ingestion: ingestion, databaseCheck: { (try? await database.ping()) != nil }, logger: logger
        )
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let (stopped, stopContinuation) = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            defer { portContinuation.finish() }
            try await server.run(stopsOnSignals: false, until: { for await _ in stopped {} }) { port in
                portContinuation.yield(port)
                portContinuation.finish()
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            // It stopped before listening, or this task was cancelled (Ctrl-C) while it started.
            stopContinuation.finish()
            task.cancel()
            let result = await task.result
            try Task.checkCancellation()
            let reason = if case .failure(let error) = result { Self.reason(error) } else { "it stopped at once" }
            throw CRMError.unavailable("The listener could not listen on a loopback port (\(reason)).")
        }
        return Listener(task: task, port: port, stop: { stopContinuation.finish() })
    }

    /// A short reason for a server that did not start: the error's own words, on one line.
    private static func reason(_ error: any Error) -> String {
        String(String(describing: error).split(whereSeparator: \.isNewline).first?.prefix(200) ?? "unknown error")
    }
}

