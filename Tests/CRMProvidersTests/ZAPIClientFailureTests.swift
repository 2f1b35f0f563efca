import AsyncHTTPClient
import CRMCore
@testable import CRMProviders
import CRMSimulator
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// `ZAPIClient` when Z-API fails or is misconfigured: retries, tokens, broken bodies, timeouts,
/// configuration (part of the "ZAPIClient" suite).
extension ZAPIClientTests {
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
            let (error, elapsed) = await EvolutionClientTests.timedFailure { try await impatient.connectionState(instance: Self.instanceId) }
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
        try await EvolutionClientTests.withClosedPort { port in
            let client = try Self.client(port: port, http: Self.http(attempts: 2))
            let error = await Self.failure { try await client.connectionState(instance: Self.instanceId) }
            try await client.shutdown()
            let failure = try #require(error)
            #expect(failure.reason == .unreachable)
            #expect(failure.isRetryable)
            #expect(failure.message.hasPrefix("Cannot reach Z-API at http://127.0.0.1:\(port)"))
            Self.expectNoSecrets(failure)
        }
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
