import CRMCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// `crm webhook serve`: the HTTP listener that receives every unit's provider webhooks.
package struct WebhookServer: Sendable {
    let configuration: ListenerConfiguration
    let ingestion: WebhookIngestion
    let databaseCheck: @Sendable () async -> Bool
    let logger: Logger
    package let metrics: MetricsRegistry
    /// Sends the outbound queue beside the HTTP server; `nil` with `--no-worker`.
    let outboundWorker: OutboundWorker?
    /// Sends the running campaigns; `nil` with `--no-worker`.
    let campaignWorker: CampaignWorker?
    /// The HTTP API's routes (`--enable-api`); `nil` serves the webhooks, /health and /metrics only.
    let api: APIRoutes?

    package init(
        configuration: ListenerConfiguration, ingestion: WebhookIngestion, databaseCheck: @escaping @Sendable () async -> Bool,
        logger: Logger, metrics: MetricsRegistry = MetricsRegistry(), outboundWorker: OutboundWorker? = nil,
        campaignWorker: CampaignWorker? = nil, api: APIRoutes? = nil
    ) {
        self.configuration = configuration
        self.ingestion = ingestion
        self.databaseCheck = databaseCheck
        self.logger = logger
        self.metrics = metrics
        self.outboundWorker = outboundWorker
        self.campaignWorker = campaignWorker
        self.api = api
    }

    func router() -> Router<ListenerContext> {
        let router = Router(context: ListenerContext.self)
        router.add(middleware: ForwardedClientMiddleware(proxies: configuration.trustedProxies))
        router.add(middleware: RequestLogMiddleware(metrics: metrics))
        // Before the routes: a router's middleware wraps only the routes added after it.
        if let origins = api?.configuration.allowedOrigins, !origins.isEmpty {
            router.add(middleware: AllowedOriginsMiddleware<ListenerContext>(allowed: origins))
        }
        let limits = ListenerRateLimits(perClient: configuration.perClientLimit, perUnit: configuration.perUnitLimit)
        WebhookRoutes(
            ingestion: ingestion, verifier: MetaVerification(ingestion: ingestion), maxBodyBytes: configuration.maxBodyBytes,
            metrics: metrics, limits: limits
        ).add(to: router)
        HealthRoutes(databaseCheck: databaseCheck).add(to: router)
        MetricsRoutes(metrics: metrics, access: configuration.metricsAccess, beforeRender: { [metrics] in limits.report(to: metrics) })
            .add(to: router)
        api?.add(to: router, metrics: metrics)
        return router
    }

    /// Serves (and runs the outbound worker) until SIGTERM or SIGINT, then stops the worker's claims
    /// and lets its sends in flight finish, stops accepting and lets requests in flight finish (all
    /// within the grace period), and returns. `onListening` gets the bound port (0 picks a free one).
    /// With `stopsOnSignals: false` the signals are left to the caller, and `until` returning
    /// starts the same graceful stop (`crm demo` handles Ctrl-C itself and stops the listener
    /// with the rest of the demo).
    package func run(
        stopsOnSignals: Bool = true, until stop: (@Sendable () async -> Void)? = nil,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "crm"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
        // The group stops its services in reverse order: the workers first, while the server still
        // takes the receipts of its last sends.
        var services: [any Service] = [app]
        // After the server: stopped before it, so that its event streams end and the server's
        // graceful stop does not wait for them.
        if let api { services.append(LiveEventHubService(hub: api.events)) }
        if let outboundWorker { services.append(OutboundWorkerService(worker: outboundWorker, logger: logger)) }
        if let campaignWorker { services.append(CampaignWorkerService(worker: campaignWorker, logger: logger)) }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: stopsOnSignals ? [.sigterm, .sigint] : [], logger: logger
        )
        // Requests in flight get this long to finish; then they are cancelled, so the process
        // always exits within the 10 s a service manager waits before SIGKILL.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        let group = ServiceGroup(configuration: groupConfiguration)
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await group.run()
                return true
            }
            if let stop {
                tasks.addTask {
                    await stop()
                    await group.triggerGracefulShutdown()
                    return false
                }
            }
            // Until the server itself has stopped; then the waiter for `until`, if any, goes.
            while let serverStopped = try await tasks.next() {
                if serverStopped { break }
            }
            tasks.cancelAll()
        }
    }
}
