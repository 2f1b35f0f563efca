import AsyncHTTPClient
import CRMCore
@testable import CRMProviders
import CRMSimulator
import Foundation
import Logging
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `EvolutionClient` against the Evolution simulator over loopback: real HTTP, real faults.
@Suite("EvolutionClient")
struct EvolutionClientTests {
    static let apiKey = "evo-test-global-key-7f3a9c"
    static let webhookURL = "http://127.0.0.1:9/webhooks/whatsapp/evolution/secret-abc"

    /// Fast retries, so that fault tests take milliseconds; timeouts long enough for a loaded machine
    /// (the timeout test sets its own).
    static func http(attempts: Int = 3, requestTimeout: Duration = .seconds(30)) -> ProviderHTTPConfiguration {
        ProviderHTTPConfiguration(
            connectTimeout: .seconds(10), requestTimeout: requestTimeout,
            retry: ProviderRetryPolicy(maxAttempts: attempts, initialDelay: .milliseconds(5), maxDelay: .milliseconds(20))
        )
    }

    static let quietLogger: Logger = {
        var logger = Logger(label: "crm.providers.tests")
        logger.logLevel = .error
        return logger
    }()

    /// Starts a simulator and a client on it, runs `body`, and stops both whatever happens.
    static func withEvolution(
        settings: SimulatorSettings = SimulatorSettings(), apiKey: String = apiKey,
        http: ProviderHTTPConfiguration = http(),
        _ body: (EvolutionClient, EvolutionSimulator) async throws -> Void
    ) async throws {
        let simulator = EvolutionSimulator(configuration: .init(
            apiKey: Self.apiKey, settings: settings,
            webhookRetry: WebhookRetryPolicy(maxAttempts: 1, firstBackoffMs: 10, timeoutMs: 15_000)
        ), logger: quietLogger)
        let port = try await simulator.start()
        let client = try EvolutionClient(
            configuration: .init(baseURL: "http://127.0.0.1:\(port)/", apiKey: apiKey, http: http), logger: quietLogger
        )
        do {
            try await body(client, simulator)
        } catch {
            try await client.shutdown()
            await simulator.stop()
            throw error
        }
        try await client.shutdown()
        await simulator.stop()
    }

    /// Runs `operation`, expecting a `ProviderError`. (The Meta and Z-API client tests use it too.)
    static func failure<T>(_ operation: () async throws -> T) async -> ProviderError? {
        do {
            _ = try await operation()
            Issue.record("expected a ProviderError")
            return nil
        } catch let error as ProviderError {
            return error
        } catch {
            Issue.record("expected a ProviderError, got \(error)")
            return nil
        }
    }

    /// `failure`, and how long `operation` took to fail: a timeout test checks the client gave up early.
    static func timedFailure<T>(_ operation: () async throws -> T) async -> (error: ProviderError?, elapsed: Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let error = await failure(operation)
        return (error, clock.now - start)
    }

    /// Runs `body` with a loopback port that refuses connections until it returns: a TCP socket
    /// bound to it, not listening, keeps any other server off it. (A port taken from a simulator
    /// started and stopped was free for another test's server, and a CI run's client reached one.)
    static func withClosedPort<T>(_ body: (Int) async throws -> T) async throws -> T {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0, "socket: errno \(errno)")
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        try #require(bound, "bind: errno \(errno)")
        return try await body(Int(UInt16(bigEndian: address.sin_port)))
    }

    /// `GET /instance/connect` without the client, to compare with what it returns.
    static func rawConnect(_ simulator: EvolutionSimulator, _ instance: String) async throws -> [String: Any] {
        let base = try #require(await simulator.baseURL)
        var request = HTTPClientRequest(url: "\(base)/instance/connect/\(instance)")
        request.headers.add(name: "apikey", value: apiKey)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
    }

    // MARK: instances and pairing

    @Test func ensureInstanceCreatesThenReuses() async throws {
        try await Self.withEvolution { client, _ in
            #expect(client.kind == .evolution)
            let first = try await client.ensureInstance(named: "unit-acme", webhookURL: Self.webhookURL)
            #expect(first.created)
            #expect(first.instance == "unit-acme")
            #expect(first.state == .qr)
            let qr = try #require(first.qrCode)
            #expect(qr.qr.hasPrefix("2@"))

            let second = try await client.ensureInstance(named: "unit-acme", webhookURL: Self.webhookURL + "-rotated")
            #expect(!second.created)
            #expect(second.state == .connecting)
            #expect(second.qrCode == nil)
        }
    }

    @Test func requestQRCodeReturnsTheCurrentCode() async throws {
        try await Self.withEvolution { client, simulator in
            let created = try await client.ensureInstance(named: "unit-qr", webhookURL: Self.webhookURL)
            let update = try #require(try await client.requestQRCode(instance: "unit-qr"))
            let raw = try await Self.rawConnect(simulator, "unit-qr")
            #expect(update.instance == "unit-qr")
            #expect(update.qr == raw["code"] as? String)
            #expect(update.qr == created.qrCode?.qr)
            #expect(update.pairingCode == nil)
            #expect(try await client.connectionState(instance: "unit-qr") == .connecting)
            #expect(try await client.connectedPhone(instance: "unit-qr") == nil)
        }
    }

    @Test func afterTheScanTheInstanceIsConnectedAndHasNoQRCode() async throws {
        try await Self.withEvolution { client, simulator in
            _ = try await client.ensureInstance(named: "unit-scan", webhookURL: Self.webhookURL)
            #expect(await simulator.scan(instance: "unit-scan", phone: "5511988887777"))
            #expect(try await client.connectionState(instance: "unit-scan") == .connected)
            #expect(try await client.connectedPhone(instance: "unit-scan") == "5511988887777")
            #expect(try await client.requestQRCode(instance: "unit-scan") == nil)
            let reused = try await client.ensureInstance(named: "unit-scan", webhookURL: Self.webhookURL)
            #expect(!reused.created && reused.state == .connected)
        }
    }

    @Test func logoutAndDeleteAreIdempotent() async throws {
        try await Self.withEvolution { client, simulator in
            _ = try await client.ensureInstance(named: "unit-bye", webhookURL: Self.webhookURL)
            #expect(await simulator.scan(instance: "unit-bye"))
            try await client.logout(instance: "unit-bye")
            #expect(try await client.connectionState(instance: "unit-bye") == .disconnected)
            try await client.logout(instance: "unit-bye")  // "not connected": already done
            try await client.deleteInstance("unit-bye")
            try await client.deleteInstance("unit-bye")  // 404: already gone
            let error = try #require(await Self.failure { try await client.connectionState(instance: "unit-bye") })
            #expect(error.reason == .instanceNotFound)
        }
    }

    // MARK: sending

    @Test func sendTextReturnsTheProviderMessageId() async throws {
        try await Self.withEvolution { client, simulator in
            _ = try await client.ensureInstance(named: "unit-send", webhookURL: Self.webhookURL)
            #expect(await simulator.scan(instance: "unit-send"))
            let id = try await client.sendText(instance: "unit-send", to: "+55 (11) 99999-0001", text: "Olá! 🚚")
            let sent = await simulator.sentMessages()
            #expect(sent.count == 1)
            #expect(sent.first?.externalId == id)
            #expect(sent.first?.to == "5511999990001")
            #expect(sent.first?.text == "Olá! 🚚")
        }
    }

    @Test func aNumberNotOnWhatsAppIsAPermanentErrorWithAMaskedPhone() async throws {
        try await Self.withEvolution(settings: SimulatorSettings(numbersNotOnWhatsApp: ["5511999990009"])) { client, simulator in
            _ = try await client.ensureInstance(named: "unit-nowa", webhookURL: Self.webhookURL)
            #expect(await simulator.scan(instance: "unit-nowa"))
            let error = try #require(await Self.failure {
                try await client.sendText(instance: "unit-nowa", to: "5511999990009", text: "hi")
            })
            #expect(error.reason == .invalidRecipient)
            #expect(!error.isRetryable)
            #expect(error.error.kind == .invalidInput)
            #expect(error.message.contains("5511*****0009"))
            #expect(error.message.contains("not on WhatsApp"))
            #expect(!error.message.contains("5511999990009"))
        }
    }

    @Test func sendingThroughAnUnpairedInstanceSaysItIsNotConnected() async throws {
        try await Self.withEvolution { client, _ in
            _ = try await client.ensureInstance(named: "unit-closed", webhookURL: Self.webhookURL)
            let error = try #require(await Self.failure {
                try await client.sendText(instance: "unit-closed", to: "5511999990001", text: "hi")
            })
            #expect(error.reason == .notConnected)
            #expect(!error.isRetryable)
            #expect(error.message.contains("unit-closed"))
        }
    }

    // MARK: errors

    @Test func aWrongAPIKeyNamesTheSettingButNotTheKey() async throws {
        let wrongKey = "wrong-key-0123456789abcdef"
        try await Self.withEvolution(apiKey: wrongKey) { client, _ in
            let error = try #require(await Self.failure {
                try await client.ensureInstance(named: "unit-key", webhookURL: Self.webhookURL)
            })
            #expect(error.reason == .unauthorized)
            #expect(error.status == 401)
            #expect(!error.isRetryable)
            #expect(error.error.kind == .configuration)
            #expect(error.message.contains("EVOLUTION_API_KEY"))
            #expect(!error.message.contains(wrongKey))
            #expect(!error.message.contains(Self.apiKey))
            #expect(!"\(error)".contains(wrongKey))
        }
    }

    @Test func anUnknownInstanceIsNotFound() async throws {
        try await Self.withEvolution { client, _ in
            let error = try #require(await Self.failure { try await client.requestQRCode(instance: "unit-ghost") })
            #expect(error.reason == .instanceNotFound)
            #expect(error.error.kind == .notFound)
            #expect(!error.isRetryable)
            #expect(error.message.contains("'unit-ghost'"))
            #expect(error.message.contains("404"))
        }
    }

    @Test func twoServerErrorsThenSuccessIsRetriedToSuccess() async throws {
        try await Self.withEvolution { client, simulator in
            _ = try await client.ensureInstance(named: "unit-retry", webhookURL: Self.webhookURL)
            await simulator.injectFault(.status(500), count: 2)
            #expect(try await client.connectionState(instance: "unit-retry") == .connecting)
            await simulator.injectFault(.status(503), count: 2)
            #expect(try await client.requestQRCode(instance: "unit-retry") != nil)
        }
    }

    @Test func serverErrorsBeyondTheAttemptsFailRetryable() async throws {
        try await Self.withEvolution { client, simulator in
            _ = try await client.ensureInstance(named: "unit-500", webhookURL: Self.webhookURL)
            await simulator.injectFault(.status(500), count: 3)
            let error = try #require(await Self.failure { try await client.connectionState(instance: "unit-500") })
            #expect(error.reason == .serverError)
            #expect(error.isRetryable)
            #expect(error.message.contains("500"))
            #expect(error.message.contains("try again"))
            #expect(try await client.connectionState(instance: "unit-500") == .connecting)
        }
    }

    @Test func sendTextIsTriedOnceOnAServerError() async throws {
        try await Self.withEvolution { client, simulator in
            _ = try await client.ensureInstance(named: "unit-once", webhookURL: Self.webhookURL)
            #expect(await simulator.scan(instance: "unit-once"))
            await simulator.injectFault(.status(500), count: 2)
            let error = try #require(await Self.failure {
                try await client.sendText(instance: "unit-once", to: "5511999990001", text: "hi")
            })
            #expect(error.reason == .serverError)
            #expect(error.isRetryable)
            #expect(await simulator.sentMessages().isEmpty)
            // One fault is left: the send used exactly one.
            let once = try EvolutionClient(
                configuration: .init(baseURL: try #require(await simulator.baseURL), apiKey: Self.apiKey, http: Self.http(attempts: 1)),
                logger: Self.quietLogger
            )
            let left = await Self.failure { try await once.connectionState(instance: "unit-once") }
            try await once.shutdown()
            #expect(left?.reason == .serverError)
            #expect(try await client.connectionState(instance: "unit-once") == .connected)
        }
    }

    @Test func anHTMLPageIsAClearRetryableError() async throws {
        try await Self.withEvolution(http: Self.http(attempts: 1)) { client, simulator in
            _ = try await client.ensureInstance(named: "unit-html", webhookURL: Self.webhookURL)
            await simulator.injectFault(.html(status: 502))
            let error = try #require(await Self.failure { try await client.connectionState(instance: "unit-html") })
            #expect(error.reason == .invalidResponse)
            #expect(error.isRetryable)
            #expect(error.message.contains("HTML page"))
            #expect(error.message.contains("EVOLUTION_API_URL"))
            #expect(error.message.contains("http://127.0.0.1:"))
        }
    }

    @Test func aSlowServerTimesOutRetryable() async throws {
        try await Self.withEvolution { client, simulator in
            // The instance is created with the patient client; only the timed call uses a short timeout,
            // so that a loaded machine cannot make the setup time out instead.
            _ = try await client.ensureInstance(named: "unit-slow", webhookURL: Self.webhookURL)
            let port = try #require(await simulator.port)
            let impatient = try EvolutionClient(
                configuration: .init(
                    baseURL: "http://127.0.0.1:\(port)", apiKey: Self.apiKey,
                    http: Self.http(attempts: 1, requestTimeout: .milliseconds(300))
                ),
                logger: Self.quietLogger
            )
            await simulator.injectFault(.delay(milliseconds: 120_000))
            let (error, elapsed) = await Self.timedFailure { try await impatient.connectionState(instance: "unit-slow") }
            try await impatient.shutdown()
            let failure = try #require(error)
            #expect(elapsed < .seconds(60))  // far below the 120 s delay: the client gave up
            #expect(failure.reason == .timeout)
            #expect(failure.isRetryable)
            #expect(failure.message.contains("did not answer within 0.3 s"))
        }
    }

    @Test func aClosedPortCannotBeReached() async throws {
        try await Self.withClosedPort { port in
            let client = try EvolutionClient(
                configuration: .init(baseURL: "http://127.0.0.1:\(port)", apiKey: Self.apiKey, http: Self.http(attempts: 2)),
                logger: Self.quietLogger
            )
            let error = await Self.failure { try await client.connectionState(instance: "unit-x") }
            try await client.shutdown()
            let failure = try #require(error)
            #expect(failure.reason == .unreachable)
            #expect(failure.isRetryable)
            #expect(failure.message.hasPrefix("Cannot reach Evolution API at http://127.0.0.1:\(port)"))
            #expect(!failure.message.contains(Self.apiKey))
        }
    }

    @Test func aBadURLOrEmptyKeyIsAConfigurationError() throws {
        #expect(throws: CRMError.self) { try EvolutionClient(configuration: .init(baseURL: "evolution.local", apiKey: "k")) }
        #expect(throws: CRMError.self) { try EvolutionClient(configuration: .init(baseURL: "http://evolution.local", apiKey: " ")) }
    }

    @Test func createIsRetriedAfterAServerError() async throws {
        try await Self.withEvolution { client, simulator in
            await simulator.injectFault(.status(502))
            let state = try await client.ensureInstance(named: "unit-flaky", webhookURL: Self.webhookURL)
            #expect(state.created && state.qrCode != nil)
        }
    }

    @Test func backoffGrowsExponentiallyWithinItsCap() {
        let policy = ProviderRetryPolicy(maxAttempts: 5, initialDelay: .milliseconds(100), maxDelay: .milliseconds(350), jitter: 0.5)
        for _ in 0..<50 {
            let first = policy.delay(afterAttempt: 1), second = policy.delay(afterAttempt: 2), fourth = policy.delay(afterAttempt: 4)
            #expect(first >= .milliseconds(50) && first <= .milliseconds(100))
            #expect(second >= .milliseconds(100) && second <= .milliseconds(200))
            #expect(fourth >= .milliseconds(175) && fourth <= .milliseconds(350))
        }
        #expect(ProviderRetryPolicy(initialDelay: .milliseconds(10), jitter: 0).delay(afterAttempt: 3) == .milliseconds(40))
        #expect(ProviderRetryPolicy.none.maxAttempts == 1)
    }

    // MARK: error bodies (fixtures)

    static func fixture(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/providers/evolution/api/\(name)")
        return try Data(contentsOf: url)
    }

    @Test func errorBodiesOfEveryShapeDecode() throws {
        #expect(EvolutionErrorBody(try Self.fixture("error-401.json"))?.messages == ["Unauthorized"])
        #expect(EvolutionErrorBody(try Self.fixture("error-403-name-in-use.json"))?.messages == ["This name \"unit-acme\" is already in use."])
        #expect(EvolutionErrorBody(try Self.fixture("error-400-validation.json"))?.messages == ["instance requires property \"text\""])
        let notOnWhatsApp = try #require(EvolutionErrorBody(try Self.fixture("message-sendText-not-on-whatsapp.error.json")))
        #expect(notOnWhatsApp.numbersNotOnWhatsApp == ["5511999990009"])
        #expect(EvolutionErrorBody(Data("<html>oops</html>".utf8)) == nil)
        #expect(EvolutionClient.quote(["Error: 5511999990009 failed"]) == "Error: 5511*****0009 failed")
    }
}
