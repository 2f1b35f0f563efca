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
}
