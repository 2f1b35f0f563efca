import AsyncHTTPClient
import CRMCore
import CRMProviders
@testable import CRMSimulator
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One simulator and one webhook receiver, both on free loopback ports, and a client for the
/// simulator's REST API: what every test starts from.
struct SimulatorHarness {
    static let apiKey = "test-global-key"
    /// Warnings and errors only: the suite's output stays readable.
    static let quietLogger: Logger = {
        var logger = Logger(label: "crm.simulator.tests")
        logger.logLevel = .warning
        return logger
    }()
    /// The tests' client. `HTTPClient.shared` waits at most 10 s (its connect timeout) for one of its
    /// 8 connections per host: with 50 requests at once on a loaded CI machine a request waited
    /// longer and failed with `getConnectionFromPoolTimeout` before reaching the simulator.
    static let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(60)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        return configuration
    }())
    let simulator: EvolutionSimulator
    let collector: WebhookCollector
    let baseURL: String

    struct Reply {
        var status: Int
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
        var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: body) as? [[String: Any]]) ?? [] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Starts both servers, runs `body`, and stops them whatever happens. The default webhook
    /// retries are patient: on a loaded machine the collector may answer a burst slowly.
    static func with(
        settings: SimulatorSettings = SimulatorSettings(),
        webhookRetry: WebhookRetryPolicy = WebhookRetryPolicy(maxAttempts: 5, firstBackoffMs: 50, timeoutMs: 30_000),
        _ body: (SimulatorHarness) async throws -> Void
    ) async throws {
        let collector = WebhookCollector()
        try await collector.start()
        let simulator = EvolutionSimulator(configuration: .init(
            apiKey: apiKey, settings: settings, webhookRetry: webhookRetry
        ), logger: quietLogger)
        let port = try await simulator.start()
        let harness = SimulatorHarness(simulator: simulator, collector: collector, baseURL: "http://127.0.0.1:\(port)")
        do {
            try await body(harness)
        } catch {
            await simulator.stop()
            await collector.stop()
            throw error
        }
        await simulator.stop()
        await collector.stop()
    }

    func call(
        _ method: HTTPMethod, _ path: String, json: Any? = nil, apiKey: String? = SimulatorHarness.apiKey,
        timeout: TimeAmount = .seconds(60)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let apiKey { request.headers.add(name: "apikey", value: apiKey) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await SimulatorHarness.client.execute(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: 4 << 20)
        return Reply(status: Int(response.status.code), body: Data(buffer.readableBytesView))
    }

    /// Creates `name` with its webhook on the collector (optionally by events); returns the create reply.
    @discardableResult
    func createInstance(_ name: String, byEvents: Bool = false) async throws -> Reply {
        let url = await collector.url
        return try await call(.POST, "/instance/create", json: [
            "instanceName": name, "integration": "WHATSAPP-BAILEYS", "qrcode": true,
            "webhook": ["url": url, "enabled": true, "byEvents": byEvents, "base64": false,
                        "events": ["QRCODE_UPDATED", "CONNECTION_UPDATE", "MESSAGES_UPSERT", "MESSAGES_UPDATE",
                                   "SEND_MESSAGE", "LOGOUT_INSTANCE"]],
        ])
    }

    /// Creates and pairs `name` with `phone`.
    func connectedInstance(_ name: String, phone: String = "5511999990000") async throws {
        _ = try await createInstance(name)
        _ = try await call(.POST, "/_simulator/instances/\(name)/scan", json: ["phone": phone])
    }

    /// Parses a received webhook as crm will, taking the event from the path for by-events URLs.
    static func parse(_ received: WebhookCollector.Received) throws -> [WebhookEvent] {
        let last = received.path.split(separator: "/").last.map(String.init)
        let pathEvent = last == "hook" ? nil : last
        return try EvolutionWebhookParser().parse(received.body, pathEvent: pathEvent)
    }
}

/// Loads a fixture from `Tests/Fixtures/providers/evolution/…`.
enum EvolutionFixture {
    static func json(_ relativePath: String) throws -> Any {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/providers/evolution/\(relativePath)")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }

    /// Keys our body has that the fixture lacks, as dotted paths (objects only; arrays and values
    /// are not compared): the simulator must not invent fields.
    static func extraKeys(_ ours: Any, comparedTo fixture: Any, path: String = "") -> [String] {
        guard let ours = ours as? [String: Any], let fixture = fixture as? [String: Any] else { return [] }
        return ours.keys.sorted().flatMap { key -> [String] in
            let here = path.isEmpty ? key : "\(path).\(key)"
            guard let theirs = fixture[key] else { return [here] }
            return extraKeys(ours[key]!, comparedTo: theirs, path: here)
        }
    }
}
