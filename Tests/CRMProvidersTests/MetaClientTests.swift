import AsyncHTTPClient
import CRMCore
@testable import CRMProviders
import CRMSimulator
import Foundation
import Logging
import Testing

/// `MetaClient` against the simulator's Cloud API subset over loopback: real HTTP, real faults.
@Suite("MetaClient")
struct MetaClientTests {
    static let phoneNumberId = "112233445566778"
    static let accessToken = "EAAGm0PX4ZCpsBAtestaccesstoken9f8e7d6c5b4a"
    static let appSecret = "test-app-secret-acme-3f9c1e"
    static let verifyToken = "test-verify-token-acme"
    static let display = "+55 11 94000-0000"

    /// Fast retries, so that fault tests take milliseconds; timeouts long enough for a loaded machine
    /// (the timeout test sets its own).
    static func http(attempts: Int = 3, requestTimeout: Duration = .seconds(30)) -> ProviderHTTPConfiguration {
        EvolutionClientTests.http(attempts: attempts, requestTimeout: requestTimeout)
    }

    static let quietLogger: Logger = {
        var logger = Logger(label: "crm.providers.tests.meta")
        logger.logLevel = .error
        return logger
    }()

    static func credentials(
        base: String, token: String = accessToken, phoneNumberId: String = phoneNumberId, version: String? = nil
    ) -> MetaCredentials {
        MetaCredentials(
            phoneNumberId: phoneNumberId, accessToken: token, appSecret: appSecret, verifyToken: verifyToken,
            graphVersion: version, baseURL: base
        )
    }

    static func client(base: String, token: String = accessToken, phoneNumberId: String = phoneNumberId,
                       version: String? = nil, http: ProviderHTTPConfiguration = http()) throws -> MetaClient {
        try MetaClient(
            configuration: .init(credentials: credentials(base: base, token: token, phoneNumberId: phoneNumberId, version: version), http: http),
            logger: quietLogger
        )
    }

    /// Starts a simulator with one Cloud API number and a client on it, runs `body`, and stops both.
    static func withMeta(
        settings: SimulatorSettings = SimulatorSettings(), allowedRecipients: Set<String>? = nil,
        templates: [MetaTemplate] = MetaTemplate.defaults,
        token: String = accessToken, phoneNumberId: String = phoneNumberId, http: ProviderHTTPConfiguration = http(),
        _ body: (MetaClient, EvolutionSimulator) async throws -> Void
    ) async throws {
        let simulator = EvolutionSimulator(configuration: .init(
            apiKey: "evo-key-unused-by-meta", settings: settings,
            webhookRetry: WebhookRetryPolicy(maxAttempts: 1, firstBackoffMs: 10, timeoutMs: 15_000)
        ), logger: quietLogger)
        let port = try await simulator.start()
        await simulator.addMetaNumber(MetaNumberConfiguration(
            phoneNumberId: Self.phoneNumberId, displayPhoneNumber: display, accessToken: accessToken, appSecret: appSecret,
            verifyToken: verifyToken, allowedRecipients: allowedRecipients, templates: templates
        ))
        let client = try Self.client(base: "http://127.0.0.1:\(port)", token: token, phoneNumberId: phoneNumberId, http: http)
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

    /// Runs `operation`, expecting a `ProviderError`.
    static func failure<T>(_ operation: () async throws -> T) async -> ProviderError? {
        await EvolutionClientTests.failure(operation)
    }

    /// No secret of the test credentials, nor Graph's own texts, in a message.
    static func expectNoSecrets(_ error: ProviderError, also extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in [accessToken, appSecret, verifyToken] + extra {
            #expect(!error.message.contains(secret), sourceLocation: sourceLocation)
            #expect(!"\(error)".contains(secret), sourceLocation: sourceLocation)
        }
    }

    // MARK: connecting

    @Test func ensureInstanceValidatesTheCredentialsAndIsConnected() async throws {
        try await Self.withMeta { client, simulator in
            #expect(client.kind == .meta)
            let state = try await client.ensureInstance(named: Self.phoneNumberId, webhookURL: "")
            #expect(state == ProviderInstanceState(instance: Self.phoneNumberId, created: false, state: .connected, qrCode: nil))
            #expect(try await client.connectionState(instance: Self.phoneNumberId) == .connected)
            #expect(try await client.connectedPhone(instance: Self.phoneNumberId) == "5511940000000")
            #expect(try await client.requestQRCode(instance: Self.phoneNumberId) == nil)
            // Nothing to end at Meta: both succeed, and the number still answers.
            try await client.logout(instance: Self.phoneNumberId)
            try await client.deleteInstance(Self.phoneNumberId)
            #expect(try await client.connectionState(instance: Self.phoneNumberId) == .connected)
            #expect(await simulator.sentMessages().isEmpty)
        }
    }

    @Test func theCredentialsBaseURLWinsAndTheVersionIsNormalized() async throws {
        try await Self.withMeta { _, simulator in
            let base = try #require(await simulator.baseURL)
            // The configuration's own base is a closed port: only the credentials' base can answer.
            let client = try MetaClient(
                configuration: .init(baseURL: "http://127.0.0.1:9", credentials: Self.credentials(base: base, version: "24.0"), http: Self.http()),
                logger: Self.quietLogger
            )
            #expect(try await client.connectionState(instance: "") == .connected)  // empty: the configured id
            try await client.shutdown()
        }
        #expect(MetaClient.normalizedVersion(nil) == MetaClientConfiguration.defaultGraphVersion)
        #expect(MetaClient.normalizedVersion("v21.0") == "v21.0")
        #expect(MetaClient.normalizedVersion("22.0") == "v22.0")
        #expect(MetaClient.normalizedVersion("latest") == nil)
        #expect(MetaClient.normalizedVersion("v23") == nil)
    }

    @Test func badSettingsAreConfigurationErrorsThatHideTheToken() throws {
        #expect(throws: CRMError.self) { try Self.client(base: "graph.facebook.com") }
        #expect(throws: CRMError.self) { try Self.client(base: "https://graph.facebook.com", token: " ") }
        #expect(throws: CRMError.self) { try Self.client(base: "https://graph.facebook.com", phoneNumberId: "") }
        #expect(throws: CRMError.self) { try Self.client(base: "https://graph.facebook.com", version: "latest") }
        let description = MetaClientConfiguration(credentials: Self.credentials(base: "https://graph.facebook.com")).description
        #expect(!description.contains(Self.accessToken) && !description.contains(Self.appSecret))
        #expect(description.contains(Self.phoneNumberId))
    }

    // MARK: credentials errors

    @Test func aWrongTokenIsUnauthorizedWithoutShowingEitherToken() async throws {
        let wrongToken = "EAAGwrongtoken0123456789abcdefXYZ"
        try await Self.withMeta(token: wrongToken) { client, _ in
            let error = try #require(await Self.failure {
                try await client.ensureInstance(named: Self.phoneNumberId, webhookURL: "")
            })
            #expect(error.reason == .unauthorized)
            #expect(error.status == 401)
            #expect(!error.isRetryable)
            #expect(error.error.kind == .configuration)
            #expect(error.message == "Meta rejected the access token (190): check the unit's Meta access token (crm whatsapp configure)")
            Self.expectNoSecrets(error, also: [wrongToken])
            let state = try #require(await Self.failure { try await client.connectionState(instance: Self.phoneNumberId) })
            #expect(state.reason == .unauthorized)
        }
    }

    @Test func anUnknownPhoneNumberIdIsNotFound() async throws {
        try await Self.withMeta(phoneNumberId: "999888777666555") { client, _ in
            let error = try #require(await Self.failure {
                try await client.ensureInstance(named: "999888777666555", webhookURL: "")
            })
            #expect(error.reason == .instanceNotFound)
            #expect(error.status == 400)
            #expect(!error.isRetryable)
            #expect(error.error.kind == .notFound)
            #expect(error.message.contains("'999888777666555'") && error.message.contains("check the phone number id"))
            #expect(!error.message.contains("Unsupported get request"))  // Graph's text is not echoed
            Self.expectNoSecrets(error)
            // The port's instance is the phone number id: the configured one answers.
            #expect(try await client.connectionState(instance: Self.phoneNumberId) == .connected)
        }
    }

    // MARK: sending

    @Test func sendTextReturnsTheWamidAndIsRecordedOnce() async throws {
        try await Self.withMeta { client, simulator in
            let wamid = try await client.sendText(instance: Self.phoneNumberId, to: "+55 (11) 99999-0001", text: "Olá! 🚚")
            #expect(wamid.hasPrefix("wamid.") && wamid.count > 20)
            let sent = await simulator.sentMessages()
            #expect(sent.count == 1)
            #expect(sent.first?.instance == Self.phoneNumberId)
            #expect(sent.first?.externalId == wamid)
            #expect(sent.first?.to == "5511999990001")
            #expect(sent.first?.text == "Olá! 🚚")
            #expect(sent.first?.template == nil)
        }
    }

    static let orderUpdate = MetaTemplate(name: "order_update", language: "pt_BR", body: "Olá {{1}}, pedido {{2}} a caminho.")

    @Test func sendTemplateReturnsTheWamidWithItsParameters() async throws {
        try await Self.withMeta(templates: MetaTemplate.defaults + [Self.orderUpdate]) { client, simulator in
            let wamid = try await client.sendTemplate(to: "5511999990001", name: "order_update", language: "pt_BR", parameters: ["Maria", "1042"])
            let bare = try await client.sendTemplate(instance: Self.phoneNumberId, to: "5511999990002", name: "hello_world", language: "en_US")
            let sent = await simulator.sentMessages()
            #expect(sent.map(\.externalId) == [wamid, bare])
            #expect(sent.map(\.template) == ["order_update/pt_BR", "hello_world/en_US"])
            #expect(sent.map(\.text) == ["Olá Maria, pedido 1042 a caminho.", "Hello World"])
            #expect(sent.map(\.to) == ["5511999990001", "5511999990002"])
        }
    }

    @Test func aRecipientOutsideTheTestAllowListIsRefusedWithAMaskedPhone() async throws {
        try await Self.withMeta(allowedRecipients: ["5511999990001"]) { client, simulator in
            let error = try #require(await Self.failure {
                try await client.sendText(instance: Self.phoneNumberId, to: "5511999990009", text: "hi")
            })
            #expect(error.reason == .invalidRecipient)
            #expect(!error.isRetryable)
            #expect(error.message.contains("5511*****0009") && error.message.contains("131030"))
            #expect(!error.message.contains("5511999990009"))
            #expect(await simulator.sentMessages().isEmpty)
            _ = try await client.sendText(instance: Self.phoneNumberId, to: "5511999990001", text: "hi")
            #expect(await simulator.sentMessages().count == 1)
        }
    }

    @Test func anEmptyRecipientIsRefusedBeforeAnyCall() async throws {
        try await Self.withMeta { client, simulator in
            let error = try #require(await Self.failure { try await client.sendText(instance: Self.phoneNumberId, to: " + ", text: "hi") })
            #expect(error.reason == .invalidRecipient && error.status == nil)
            #expect(await simulator.sentMessages().isEmpty)
        }
    }

    // MARK: webhook override

    @Test func aWebhookURLThatFailsVerificationIsRefused() async throws {
        try await Self.withMeta { client, _ in
            let error = try #require(await Self.failure {
                try await client.ensureInstance(named: Self.phoneNumberId, webhookURL: "http://127.0.0.1:9/webhooks/whatsapp/meta/secret-abc")
            })
            #expect(error.reason == .rejected)
            #expect(error.status == 400)
            #expect(!error.isRetryable)
            #expect(error.message.contains("could not verify the webhook URL (2200)"))
            #expect(!error.message.contains("secret-abc"))
            Self.expectNoSecrets(error)

            let long = try #require(await Self.failure {
                try await client.ensureInstance(named: Self.phoneNumberId, webhookURL: "https://crm.example.com/" + String(repeating: "a", count: 200))
            })
            #expect(long.reason == .rejected && long.status == nil && long.message.contains("200 characters"))
        }
    }
}
