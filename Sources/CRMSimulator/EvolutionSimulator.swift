import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// An Evolution API v2-compatible server (a subset) on loopback, for tests and `crm demo`: it
/// creates instances, rotates QR codes, pairs on a simulated scan, accepts sends and posts the
/// webhooks a real instance would, and fails on request. It writes Evolution's wire format
/// itself (never through CRMProviders), so that a parser's mistake is not mirrored here.
package actor EvolutionSimulator {
    package struct Configuration: Sendable {
        /// The address to bind; loopback by default.
        package var host: String
        /// 0 picks a free port; `start()` returns the one bound.
        package var port: Int
        /// The global `AUTHENTICATION_API_KEY`.
        package var apiKey: String
        package var settings: SimulatorSettings
        package var webhookRetry: WebhookRetryPolicy

        package init(
            host: String = "127.0.0.1", port: Int = 0, apiKey: String,
            settings: SimulatorSettings = SimulatorSettings(), webhookRetry: WebhookRetryPolicy = WebhookRetryPolicy()
        ) {
            self.host = host
            self.port = port
            self.apiKey = apiKey
            self.settings = settings
            self.webhookRetry = webhookRetry
        }
    }

    package enum StartError: Error, Sendable {
        /// `start()` runs once per simulator: a stopped one has dropped its state; create a new one.
        case alreadyStarted
        /// The server stopped before it was listening (port in use, bad host); the underlying error.
        case couldNotBind(String)
    }

    package let configuration: Configuration
    let state: SimulatorState
    private let logger: Logger
    private var runTask: Task<Void, any Error>?
    private var serviceGroup: ServiceGroup?
    private var hasStarted = false
    /// The bound port, once started.
    package private(set) var port: Int?

    package init(configuration: Configuration, logger: Logger = Logger(label: "crm.simulator.evolution")) {
        self.configuration = configuration
        self.logger = logger
        let poster = WebhookPoster(client: WebhookPoster.client, policy: configuration.webhookRetry, logger: logger)
        self.state = SimulatorState(apiKey: configuration.apiKey, settings: configuration.settings, poster: poster, logger: logger)
    }

    /// `http://host:port`, once started.
    package var baseURL: String? { port.map { "http://\(configuration.host):\($0)" } }

    /// Binds and serves in the background; returns the bound port.
    @discardableResult
    package func start() async throws -> Int {
        guard !hasStarted else { throw StartError.alreadyStarted }
        hasStarted = true
        let router = Router(context: BasicRequestContext.self)
        EvolutionRoutes.add(to: router, state: state)
        MetaRoutes.add(to: router, state: state)
        ControlRoutes.add(to: router, state: state)
        ZAPIRoutes.add(to: router, state: state)
        let (bound, boundContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: FrontDoorResponder(inner: router.buildResponder(), state: state),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "evolution-simulator"),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port { boundContinuation.yield(port) }
                boundContinuation.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { boundContinuation.finish() }
            try await group.run()
        }
        runTask = task
        serviceGroup = group
        var iterator = bound.makeAsyncIterator()
        guard let port = await iterator.next() else {
            (runTask, serviceGroup) = (nil, nil)
            let reason = switch await task.result {
            case .failure(let error): "\(error)"
            case .success: "server stopped"
            }
            throw StartError.couldNotBind(reason)
        }
        self.port = port
        await state.setServerURL("http://\(configuration.host):\(port)")
        return port
    }

    /// Stops timers and pending webhooks, then the server (gracefully: requests in flight
    /// finish, idle connections close). Safe to call twice.
    package func stop() async {
        await state.shutdown()
        guard let task = runTask else { return }
        let group = serviceGroup
        (runTask, serviceGroup) = (nil, nil)
        await group?.triggerGracefulShutdown()
        _ = await task.result
        port = nil
    }

    /// Waits until the server stops (`stop()` from another task, or a fatal server error), for
    /// `crm simulator serve`, which runs until interrupted.
    package func waitUntilStopped() async throws {
        guard let task = runTask else { return }
        try await task.value
    }

    // MARK: control from code (same effects as the /_simulator routes)

    /// Simulates the scan of `instance`'s QR; `false` when it is unknown or not waiting.
    @discardableResult
    package func scan(instance: String, phone: String? = nil, profileName: String? = nil) async -> Bool {
        await state.scan(instance, phone: phone, profileName: profileName).status == 200
    }

    /// A contact's text message; returns its id, `nil` when the instance is not connected.
    package func inbound(instance: String, from: String, text: String, pushName: String? = nil) async -> String? {
        var body: [(String, JSONValue)] = [("from", .string(from)), ("text", .string(text))]
        if let pushName { body.append(("pushName", .string(pushName))) }
        return await state.inbound(instance, .object(body)).body["externalId"]?.stringValue
    }

    package func sentMessages() async -> [SentMessage] { await state.sentMessages() }

    package func injectFault(_ fault: SimulatorFault, count: Int = 1) async { await state.addFault(fault, count: count) }

    /// How many API calls a `.hold` fault is holding now.
    package func heldRequestCount() async -> Int { await state.heldCount }

    /// Lets every call held by a `.hold` fault go on, to be handled normally.
    package func releaseHeldRequests() async { await state.releaseHeld() }

    package func updateSettings(_ change: @Sendable (inout SimulatorSettings) -> Void) async {
        await state.mutateSettings(change)
    }
}

extension SimulatorState {
    func mutateSettings(_ change: @Sendable (inout SimulatorSettings) -> Void) { change(&settings) }
}
