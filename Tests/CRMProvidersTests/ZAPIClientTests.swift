import AsyncHTTPClient
import CRMCore
@testable import CRMProviders
import CRMSimulator
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// `ZAPIClient` against the simulator's Z-API subset over loopback: real HTTP, real faults.
@Suite("ZAPIClient")
struct ZAPIClientTests {
    static let instanceId = "3D9F6A1B2C4E5F60718293A4B5C6D7E8"
    static let token = "F0E1D2C3B4A5968778695A4B"
    static let clientToken = "Fa1b2c3d4e5f60718293a4b5c6d7e8f9S"
    static let webhookURL = "http://127.0.0.1:9/webhooks/whatsapp/zapi/secret-abc"

    static func http(attempts: Int = 3, requestTimeout: Duration = .seconds(30)) -> ProviderHTTPConfiguration {
        EvolutionClientTests.http(attempts: attempts, requestTimeout: requestTimeout)
    }

    static func client(
        port: Int, instanceId: String = instanceId, token: String = token, clientToken: String? = clientToken,
        http: ProviderHTTPConfiguration = http()
    ) throws -> ZAPIClient {
        try ZAPIClient(configuration: .init(
            baseURL: "http://127.0.0.1:\(port)/",
            credentials: ZAPICredentials(instanceId: instanceId, instanceToken: token, clientToken: clientToken),
            http: http
        ), logger: EvolutionClientTests.quietLogger)
    }

    /// A simulator with one Z-API instance whose account requires `accountClientToken`, and a
    /// client with `credentials`' tokens; both stopped whatever happens.
    static func withZAPI(
        settings: SimulatorSettings = SimulatorSettings(), accountClientToken: String? = clientToken,
        token: String = token, clientToken: String? = clientToken, http: ProviderHTTPConfiguration = http(),
        _ body: (ZAPIClient, EvolutionSimulator) async throws -> Void
    ) async throws {
        let simulator = EvolutionSimulator(configuration: .init(
            apiKey: EvolutionClientTests.apiKey, settings: settings,
            webhookRetry: WebhookRetryPolicy(maxAttempts: 1, firstBackoffMs: 10, timeoutMs: 15_000)
        ), logger: EvolutionClientTests.quietLogger)
        let port = try await simulator.start()
        #expect(await simulator.provisionZAPIInstance(instanceId: instanceId, token: Self.token, clientToken: accountClientToken))
        let client = try Self.client(port: port, token: token, clientToken: clientToken, http: http)
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

    /// `GET /qr-code` without the client, to compare with what it returns.
    static func rawQRCode(_ simulator: EvolutionSimulator) async throws -> String? {
        let base = try #require(await simulator.baseURL)
        var request = HTTPClientRequest(url: "\(base)/instances/\(instanceId)/token/\(token)/qr-code")
        request.headers.add(name: "Client-Token", value: clientToken)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))  // the simulator shares a loaded test process
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        return json?["value"] as? String
    }

    static func rotate(_ simulator: EvolutionSimulator) async throws {
        let base = try #require(await simulator.baseURL)
        var request = HTTPClientRequest(url: "\(base)/_simulator/instances/\(instanceId)/rotate")
        request.method = .POST
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))  // the simulator shares a loaded test process
        _ = try await response.body.collect(upTo: 1 << 20)
        #expect(response.status == .ok)
    }

    static func failure<T>(_ operation: () async throws -> T) async -> ProviderError? {
        await EvolutionClientTests.failure(operation)
    }

    /// No secret in the message or the description.
    static func expectNoSecrets(_ error: ProviderError, _ extra: String...) {
        for secret in [token, clientToken] + extra {
            #expect(!error.message.contains(secret))
            #expect(!"\(error)".contains(secret))
        }
    }

    // MARK: instance, webhooks and pairing

    @Test func ensureInstanceRegistersEveryWebhookAndReturnsTheQRCode() async throws {
        try await Self.withZAPI { client, simulator in
            #expect(client.kind == .zapi)
            let state = try await client.ensureInstance(named: Self.instanceId, webhookURL: Self.webhookURL)
            #expect(!state.created)
            #expect(state.instance == Self.instanceId)
            #expect(state.state == .qr)
            let qr = try #require(state.qrCode)
            #expect(qr.qr.hasPrefix("2@"))
            #expect(qr.qr == (try await Self.rawQRCode(simulator)))

            let webhooks = await simulator.zapiWebhooks(instanceId: Self.instanceId)
            #expect(webhooks == [.received: Self.webhookURL, .delivery: Self.webhookURL, .messageStatus: Self.webhookURL,
                                 .connected: Self.webhookURL, .disconnected: Self.webhookURL])
            #expect(await simulator.zapiNotifiesSentByMe(instanceId: Self.instanceId))

            // Again, with a new URL: every kind moves to it.
            let again = try await client.ensureInstance(named: Self.instanceId, webhookURL: Self.webhookURL + "-2")
            #expect(!again.created && again.state == .qr)
            #expect(Set(await simulator.zapiWebhooks(instanceId: Self.instanceId).values) == [Self.webhookURL + "-2"])
        }
    }

    @Test func requestQRCodeFollowsTheRotation() async throws {
        try await Self.withZAPI { client, simulator in
            let first = try #require(try await client.requestQRCode(instance: Self.instanceId))
            #expect(first.instance == Self.instanceId)
            #expect(first.pairingCode == nil)
            #expect(first.qr == (try await Self.rawQRCode(simulator)))
            try await Self.rotate(simulator)
            let second = try #require(try await client.requestQRCode(instance: Self.instanceId))
            #expect(second.qr != first.qr)
            #expect(second.qr == (try await Self.rawQRCode(simulator)))
            #expect(try await client.connectionState(instance: Self.instanceId) == .disconnected)
            #expect(try await client.connectedPhone(instance: Self.instanceId) == nil)
        }
    }

    @Test func afterTheScanTheInstanceIsConnectedWithItsPhone() async throws {
        try await Self.withZAPI { client, simulator in
            _ = try await client.ensureInstance(named: Self.instanceId, webhookURL: Self.webhookURL)
            #expect(await simulator.scan(instance: Self.instanceId, phone: "5511988887777"))
            #expect(try await client.connectionState(instance: Self.instanceId) == .connected)
            #expect(try await client.connectedPhone(instance: Self.instanceId) == "5511988887777")
            #expect(try await client.requestQRCode(instance: Self.instanceId) == nil)
            let reused = try await client.ensureInstance(named: Self.instanceId, webhookURL: Self.webhookURL)
            #expect(!reused.created && reused.state == .connected && reused.qrCode == nil)
        }
    }

    @Test func logoutIsIdempotentAndAFreshQRCodeFollows() async throws {
        try await Self.withZAPI { client, simulator in
            #expect(await simulator.scan(instance: Self.instanceId))
            try await client.logout(instance: Self.instanceId)
            #expect(try await client.connectionState(instance: Self.instanceId) == .disconnected)
            try await client.logout(instance: Self.instanceId)
            #expect(try await client.requestQRCode(instance: Self.instanceId) != nil)
            // Nothing to delete through the instance API: it succeeds and the instance still answers.
            try await client.deleteInstance(Self.instanceId)
            #expect(try await client.connectionState(instance: Self.instanceId) == .disconnected)
        }
    }

    @Test func anotherInstanceNameIsAProgrammingError() async throws {
        try await Self.withZAPI { client, simulator in
            await simulator.injectFault(.status(500))  // would be used up by any HTTP call
            let error = try #require(await Self.failure { try await client.connectionState(instance: "unit-acme") })
            #expect(error.error.kind == .internal)
            #expect(!error.isRetryable)
            #expect(error.message.contains("unit-acme"))
            let send = await Self.failure { try await client.sendText(instance: "unit-acme", to: "5511999990001", text: "hi") }
            #expect(send?.error.kind == .internal)
            let delete = await Self.failure { try await client.deleteInstance("unit-acme") }
            #expect(delete?.error.kind == .internal)
            // The fault is still queued: no request went out.
            let once = try Self.client(port: try #require(await simulator.port), http: Self.http(attempts: 1))
            let left = await Self.failure { try await once.connectionState(instance: Self.instanceId) }
            try await once.shutdown()
            #expect(left?.reason == .serverError)
        }
    }

    // MARK: sending

    @Test func sendTextReturnsTheMessageIdTheStatusesCarry() async throws {
        try await Self.withZAPI { client, simulator in
            #expect(await simulator.scan(instance: Self.instanceId))
            let id = try await client.sendText(instance: Self.instanceId, to: "+55 (11) 99999-0001", text: "Olá! 🚚")
            let sent = await simulator.sentMessages()
            #expect(sent.count == 1)
            #expect(sent.first?.externalId == id)
            #expect(sent.first?.to == "5511999990001")
            #expect(sent.first?.text == "Olá! 🚚")
        }
    }

    @Test func sendingThroughAnUnpairedInstanceSaysItIsNotConnected() async throws {
        try await Self.withZAPI { client, simulator in
            let error = try #require(await Self.failure {
                try await client.sendText(instance: Self.instanceId, to: "5511999990001", text: "hi")
            })
            #expect(error.reason == .notConnected)
            #expect(!error.isRetryable)
            #expect(error.message.contains("scan its QR code"))
            #expect(await simulator.sentMessages().isEmpty)
        }
    }

    @Test func anEmptyRecipientIsRefusedBeforeAnyCall() async throws {
        try await Self.withZAPI { client, simulator in
            #expect(await simulator.scan(instance: Self.instanceId))
            let error = await Self.failure { try await client.sendText(instance: Self.instanceId, to: "+", text: "hi") }
            #expect(error?.reason == .invalidRecipient)
            #expect(await simulator.sentMessages().isEmpty)
        }
    }

    // MARK: faults

    @Test func serverErrorsOnReadsAreRetriedToSuccess() async throws {
        try await Self.withZAPI { client, simulator in
            await simulator.injectFault(.status(500), count: 2)
            #expect(try await client.connectionState(instance: Self.instanceId) == .disconnected)
            await simulator.injectFault(.status(503), count: 2)
            #expect(try await client.requestQRCode(instance: Self.instanceId) != nil)
            await simulator.injectFault(.status(502), count: 2)
            _ = try await client.ensureInstance(named: Self.instanceId, webhookURL: Self.webhookURL)
            #expect(await simulator.zapiWebhooks(instanceId: Self.instanceId).count == 5)
        }
    }

    @Test func serverErrorsBeyondTheAttemptsFailRetryable() async throws {
        try await Self.withZAPI { client, simulator in
            await simulator.injectFault(.status(500), count: 3)
            let error = try #require(await Self.failure { try await client.connectionState(instance: Self.instanceId) })
            #expect(error.reason == .serverError)
            #expect(error.status == 500)
            #expect(error.isRetryable)
            #expect(error.message.contains("Z-API answered 500"))
            #expect(try await client.connectionState(instance: Self.instanceId) == .disconnected)
        }
    }

    @Test func sendTextIsTriedOnceOnAServerError() async throws {
        try await Self.withZAPI { client, simulator in
            #expect(await simulator.scan(instance: Self.instanceId))
            await simulator.injectFault(.status(500), count: 2)
            let error = try #require(await Self.failure {
                try await client.sendText(instance: Self.instanceId, to: "5511999990001", text: "hi")
            })
            #expect(error.reason == .serverError)
            #expect(error.isRetryable)
            #expect(await simulator.sentMessages().isEmpty)
            // One fault is left: the send used exactly one.
            let once = try Self.client(port: try #require(await simulator.port), http: Self.http(attempts: 1))
            let left = await Self.failure { try await once.connectionState(instance: Self.instanceId) }
            try await once.shutdown()
            #expect(left?.reason == .serverError)
            #expect(try await client.connectionState(instance: Self.instanceId) == .connected)
        }
    }

    @Test func aMissingClientTokenSaysToAddIt() async throws {
        try await Self.withZAPI(clientToken: nil) { client, _ in
            let error = try #require(await Self.failure {
                try await client.ensureInstance(named: Self.instanceId, webhookURL: Self.webhookURL)
            })
            #expect(error.reason == .unauthorized)
            #expect(error.status == 401)
            #expect(!error.isRetryable)
            #expect(error.error.kind == .configuration)
            #expect(error.message.contains("client token"))
            #expect(error.message.contains("crm whatsapp configure"))
            Self.expectNoSecrets(error)
        }
    }

    @Test func aWrongClientTokenIsRefusedWithoutQuotingIt() async throws {
        let wrong = "Wrong-client-token-0123456789"
        try await Self.withZAPI(clientToken: wrong) { client, _ in
            let error = try #require(await Self.failure { try await client.connectionState(instance: Self.instanceId) })
            #expect(error.reason == .unauthorized)
            #expect(!error.isRetryable)
            #expect(error.message.hasPrefix("Z-API rejected the client token (401)"))
            Self.expectNoSecrets(error, wrong)  // the server's body echoes it
        }
    }

    @Test func aClientTokenTheAccountDoesNotRequireIsHarmless() async throws {
        try await Self.withZAPI(accountClientToken: nil) { client, _ in
            let state = try await client.connectionState(instance: Self.instanceId)
            #expect(state == .disconnected)
        }
    }

    @Test func aWrongInstanceTokenIsNotFound() async throws {
        let wrong = "BADC0FFEE0123456789ABCDE"
        try await Self.withZAPI(token: wrong) { client, _ in
            let error = try #require(await Self.failure { try await client.requestQRCode(instance: Self.instanceId) })
            #expect(error.reason == .instanceNotFound)
            #expect(error.status == 404)
            #expect(error.error.kind == .notFound)
            #expect(!error.isRetryable)
            #expect(error.message.contains(Self.instanceId))
            #expect(error.message.contains("instance id and token"))
            Self.expectNoSecrets(error, wrong)
        }
    }

    @Test func anHTMLPageIsAClearRetryableError() async throws {
        try await Self.withZAPI(http: Self.http(attempts: 1)) { client, simulator in
            await simulator.injectFault(.html(status: 502))
            let error = try #require(await Self.failure { try await client.connectionState(instance: Self.instanceId) })
            #expect(error.reason == .invalidResponse)
            #expect(error.status == 502)
            #expect(error.isRetryable)
            #expect(error.message.contains("HTML page"))
            #expect(error.message.contains("http://127.0.0.1:"))
            #expect(!error.message.contains("/instances/"))
            Self.expectNoSecrets(error)
        }
    }

    @Test func aCutOffJSONBodyIsInvalidAndRetried() async throws {
        try await Self.withZAPI { client, simulator in
            await simulator.injectFault(.garbage(status: 200))
            #expect(try await client.connectionState(instance: Self.instanceId) == .disconnected)
            await simulator.injectFault(.garbage(status: 200), count: 3)
            let error = try #require(await Self.failure { try await client.connectionState(instance: Self.instanceId) })
            #expect(error.reason == .invalidResponse)
            #expect(error.status == 200)
            #expect(error.isRetryable)
            #expect(error.message.contains("a body crm cannot read"))
            Self.expectNoSecrets(error)
        }
    }

    @Test func aSlowServerTimesOutRetryable() async throws {
        try await Self.withZAPI { _, simulator in
            let impatient = try Self.client(
                port: try #require(await simulator.port), http: Self.http(attempts: 1, requestTimeout: .milliseconds(300))
            )
            await simulator.injectFault(.delay(milliseconds: 120_000))
            let clock = ContinuousClock()
            let start = clock.now
            let error = await Self.failure { try await impatient.connectionState(instance: Self.instanceId) }
            let elapsed = clock.now - start
            try await impatient.shutdown()
            let failure = try #require(error)
            #expect(elapsed < .seconds(60))  // far below the 120 s delay: the client gave up
            #expect(failure.reason == .timeout)
            #expect(failure.isRetryable)
            #expect(failure.message.contains("Z-API at http://127.0.0.1:"))
            #expect(failure.message.contains("did not answer within 0.3 s"))
            Self.expectNoSecrets(failure)
        }
    }

    @Test func aClosedPortCannotBeReached() async throws {
        let simulator = EvolutionSimulator(configuration: .init(apiKey: EvolutionClientTests.apiKey), logger: EvolutionClientTests.quietLogger)
        let port = try await simulator.start()
        await simulator.stop()
        let client = try Self.client(port: port, http: Self.http(attempts: 2))
        let error = await Self.failure { try await client.connectionState(instance: Self.instanceId) }
        try await client.shutdown()
        let failure = try #require(error)
        #expect(failure.reason == .unreachable)
        #expect(failure.isRetryable)
        #expect(failure.message.hasPrefix("Cannot reach Z-API at http://127.0.0.1:\(port)"))
        Self.expectNoSecrets(failure)
    }

    // MARK: configuration

    @Test func theCredentialsBaseURLOverridesTheDefault() async throws {
        try await Self.withZAPI { _, simulator in
            let port = try #require(await simulator.port)
            let client = try ZAPIClient(configuration: .init(
                credentials: ZAPICredentials(instanceId: Self.instanceId, instanceToken: Self.token, clientToken: Self.clientToken,
                                             baseURL: "http://127.0.0.1:\(port)"),
                http: Self.http()
            ), logger: EvolutionClientTests.quietLogger)
            #expect(client.displayHost == "http://127.0.0.1:\(port)")
            #expect(try await client.connectionState(instance: Self.instanceId) == .disconnected)
            try await client.shutdown()
        }
        let defaulted = ZAPIClientConfiguration(credentials: ZAPICredentials(instanceId: "i", instanceToken: Self.token))
        #expect(defaulted.effectiveBaseURL == "https://api.z-api.io")
        #expect(!defaulted.description.contains(Self.token))
    }

    @Test func aBadURLOrEmptyCredentialsAreConfigurationErrors() throws {
        let good = ZAPICredentials(instanceId: Self.instanceId, instanceToken: Self.token)
        #expect(throws: CRMError.self) { try ZAPIClient(configuration: .init(baseURL: "api.z-api.io", credentials: good)) }
        #expect(throws: CRMError.self) {
            try ZAPIClient(configuration: .init(credentials: ZAPICredentials(instanceId: " ", instanceToken: Self.token)))
        }
        #expect(throws: CRMError.self) {
            try ZAPIClient(configuration: .init(credentials: ZAPICredentials(instanceId: Self.instanceId, instanceToken: "")))
        }
    }

    @Test func errorBodiesAreReadLoosely() throws {
        let missing = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/providers/zapi/api/error-client-token-missing.json"))
        #expect(ZAPIErrorBody(missing)?.isClientTokenRefusal == true)
        #expect(ZAPIErrorBody(Data(#"{"error":"You are not connected."}"#.utf8))?.contains("not connected") == true)
        #expect(ZAPIErrorBody(Data("<html>oops</html>".utf8)) == nil)
    }
}
