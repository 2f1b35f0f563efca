import ArgumentParser
import CRMCore
import CRMProviders
import CRMServer
import CRMStore
import Foundation
import Logging

/// `crm webhook serve` (also `crm serve`): the long-running listener.
struct WebhookServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the webhook listener until SIGTERM or Ctrl-C.",
        discussion: """
            Receives every unit's webhooks at POST /webhooks/whatsapp/<provider>/<secret> (Evolution's \
            by-events form …/<secret>/<event> too), answers Meta's verification at GET \
            /webhooks/whatsapp/meta/<secret>, and serves GET /health. Each body is stored raw, then \
            applied once: connection states, inbound messages (deduplicated by the provider's id), \
            delivery and read receipts (forward only). GET /metrics serves Prometheus figures; over the \
            rate limits (per client address, per unit) the answer is 429 with Retry-After.

            On PostgreSQL the listener keeps a pool of connections (--db-pool-size, default \
            CRM_DB_POOL_SIZE, else 10), so that webhooks are stored in parallel; on SQLite, writes take \
            turns on one connection. Several listeners may share one PostgreSQL database. On SIGTERM or SIGINT the listener \
            stops accepting, finishes the requests in flight and exits 0.

            The outbound worker runs beside it (--no-worker turns it off): it sends the messages `crm send \
            --queue` stored, and those a crashed `crm send` left queued, with the same retry rules (3 \
            attempts in all), up to --worker-concurrency at once. Messages of a unit that is not connected \
            stay queued until it is. Listeners sharing a PostgreSQL database never send a message twice. \
            On SIGTERM or SIGINT the worker stops first: it claims no more and finishes its sends in flight.

            The campaign worker runs beside it too (--no-worker turns it off as well): it sends every running \
            campaign (`crm campaigns dispatch --detach`, `crm campaigns resume`) under its pacing, sharing it \
            with any other dispatcher of the campaign. Stopping the listener leaves the campaigns running, \
            for the next listener.

            With --enable-api (or CRM_ENABLE_API=1) the listener also serves the HTTP API on the same \
            port: POST /admin/login, /admin/refresh, /admin/logout, and behind a bearer token /messages, \
            /conversations, /contacts, /units/<id>/whatsapp/*, /units and /users (docs/api.md). It needs \
            JWT_ACCESS_SECRET, at least 32 bytes, to sign access tokens.
            """,
        aliases: []
    )

    @Option(help: "The address to listen on (default: HOST, else 127.0.0.1; 0.0.0.0 for every interface).")
    var host: String?

    @Option(help: "The port to listen on (default: PORT, else 3000; 0 picks a free one).")
    var port: Int?

    @Option(help: "Log level: trace, debug, info (default), notice, warning, error, critical.")
    var logLevel: String?

    @Option(help: "Log format: text (default) or json (one object per line).")
    var logFormat: String = "text"

    @Option(help: "Webhook requests per second from one client address (bursts of twice as many).")
    var rateLimitClient: Double = 2_000

    @Option(help: "Webhook requests per second for one unit (bursts of twice as many).")
    var rateLimitUnit: Double = 500

    @Option(help: "PostgreSQL connections the listener may open (default: CRM_DB_POOL_SIZE, else 10; unused on SQLite).")
    var dbPoolSize: Int?

    @Flag(help: "Do not run the outbound and campaign workers: queued messages and running campaigns wait.")
    var noWorker = false

    @Option(help: "Messages the outbound worker sends at once (1–256).")
    var workerConcurrency: Int = OutboundWorker.Configuration().concurrency

    @Flag(help: "Answer GET /metrics to loopback clients only (default: CRM_METRICS_LOOPBACK_ONLY=1); CRM_METRICS_TOKEN requires a bearer token.")
    var metricsLoopbackOnly = false

    @Option(help: ArgumentHelp(
        "Reverse proxies whose X-Forwarded-For names the client: loopback (default), none, or IPs and IPv4 networks, comma-separated (default: CRM_TRUSTED_PROXIES).",
        valueName: "list"))
    var trustedProxies: String?

    @OptionGroup var apiOptions: APIOptions

    @OptionGroup var databaseOptions: DatabaseOptions

    static let defaultPoolSize = 10

    func validate() throws {
        for (value, name) in [(rateLimitClient, "--rate-limit-client"), (rateLimitUnit, "--rate-limit-unit")] {
            guard value >= 0.1 && value <= 1_000_000 else { throw ValidationError("\(name) must be between 0.1 and 1000000 requests per second.") }
        }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535.") }
        if let dbPoolSize, !(1...500).contains(dbPoolSize) { throw ValidationError("--db-pool-size must be between 1 and 500.") }
        guard (1...256).contains(workerConcurrency) else { throw ValidationError("--worker-concurrency must be between 1 and 256.") }
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
        guard Log.Format(rawValue: logFormat) != nil else { throw ValidationError("--log-format must be text or json.") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let level = logLevel.flatMap(Logger.Level.init(rawValue:))
            ?? environment["CRM_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        Log.configure(level: level, format: Log.Format(rawValue: logFormat) ?? .text)
        let host = self.host ?? environment["HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        let port = try self.port ?? Self.environmentPort(environment["PORT"]) ?? 3000
        let logger = Log.logger
        let poolSize = try dbPoolSize ?? Self.environmentPoolSize(environment["CRM_DB_POOL_SIZE"]) ?? Self.defaultPoolSize
        let apiConfiguration = try apiOptions.configuration(environment: environment)
        let trustedProxies = try TrustedProxies(parsing: self.trustedProxies ?? environment[TrustedProxies.variable] ?? "loopback")
        let metricsAccess = MetricsAccess(
            token: environment[MetricsAccess.tokenVariable],
            loopbackOnly: metricsLoopbackOnly || Self.isOn(environment[MetricsAccess.loopbackVariable]))
        try await CommandContext.with(databaseOptions, try OutputOptions.parse([]), noticesAsLog: true, poolSize: poolSize) { context in
            if environment[SecretBox.keyVariable].map({ $0.isEmpty }) ?? true {
                logger.warning("CRM_SECRET_KEY is not set: Meta webhooks cannot be verified and will be refused")
            }
            let ingestion = context.listenerIngestion
            let recovered = try await ingestion.recoverPending()
            if recovered > 0 {
                logger.notice("applied webhooks left pending by a previous run", metadata: ["count": "\(recovered)"])
            }
            let database = context.database
            let metrics = MetricsRegistry()
            let worker = noWorker ? nil : context.outboundWorker(
                configuration: OutboundWorker.Configuration(concurrency: workerConcurrency), logger: logger, metrics: metrics)
            let campaigns = noWorker ? nil : context.campaignWorker(
                configuration: CampaignDispatcher.Configuration(concurrency: workerConcurrency), logger: logger)
            let api: APIRoutes? = if let apiConfiguration { try await context.apiRoutes(apiConfiguration, metrics: metrics, logger: logger) } else { nil }
            if api != nil, noWorker { logger.notice("--no-worker: messages posted to /messages stay queued for a listener with a worker") }
            let server = WebhookServer(
                configuration: ListenerConfiguration(
                    host: host, port: port,
                    perClientLimit: RateLimitConfiguration(requestsPerSecond: rateLimitClient, burst: max(1, Int(rateLimitClient * 2))),
                    perUnitLimit: RateLimitConfiguration(requestsPerSecond: rateLimitUnit, burst: max(1, Int(rateLimitUnit * 2))),
                    metricsAccess: metricsAccess, trustedProxies: trustedProxies
                ),
                ingestion: ingestion,
                databaseCheck: { (try? await database.ping()) != nil }, logger: logger, metrics: metrics, outboundWorker: worker,
                campaignWorker: campaigns,
                api: api
            )
            try await server.run(onListening: { bound in
                logger.notice("crm listening", metadata: [
                    "url": "http://\(host):\(bound)", "database": "\(database.location.displayName)",
                    "connections": "\(database.connectionLimit)",
                    "outboundWorker": worker == nil ? "off" : "on (\(workerConcurrency) at once)",
                    "api": apiConfiguration == nil ? "off" : "on",
                ])
            })
            logger.notice("crm stopped")
        }
    }

    static func isOn(_ value: String?) -> Bool {
        ["1", "true", "yes", "on"].contains(value?.lowercased() ?? "")
    }

    static func environmentPoolSize(_ text: String?) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let size = Int(text), (1...500).contains(size) else {
            throw CRMError.configuration("CRM_DB_POOL_SIZE '\(text.prefix(20))' is not a pool size (1–500).")
        }
        return size
    }

    static func environmentPort(_ text: String?) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let port = Int(text), (0...65535).contains(port) else {
            throw CRMError.configuration("PORT '\(text.prefix(20))' is not a port number (0–65535).")
        }
        return port
    }
}

/// `crm serve`: the same as `crm webhook serve`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the webhook listener (the same as `crm webhook serve`).", shouldDisplay: true
    )

    @OptionGroup var serve: WebhookServeCommand

    func validate() throws { try serve.validate() }
    func run() async throws { try await serve.run() }
}
