import AsyncHTTPClient
import CRMCore
@testable import CRMProviders
import CRMSimulator
import Foundation
import Logging
import Testing

/// `MetaClient` when the Graph API fails: retries, rate limits, broken bodies, timeouts, and the
/// Graph error codes mapped to reasons (part of the "MetaClient" suite).
extension MetaClientTests {
    @Test func twoServerErrorsThenSuccessIsRetriedForReads() async throws {
        try await Self.withMeta { client, simulator in
            await simulator.injectFault(.status(500), count: 2)
            let state = try await client.connectionState(instance: Self.phoneNumberId)
            #expect(state == .connected)
            await simulator.injectFault(.status(503), count: 2)
            let phone = try await client.connectedPhone(instance: Self.phoneNumberId)
            #expect(phone == "5511940000000")
            await simulator.injectFault(.garbage(status: 200))
            let ensured = try await client.ensureInstance(named: Self.phoneNumberId, webhookURL: "")
            #expect(ensured.state == .connected)
        }
    }

    @Test func serverErrorsBeyondTheAttemptsFailRetryable() async throws {
        try await Self.withMeta { client, simulator in
            await simulator.injectFault(.status(500), count: 3)
            let error = try #require(await Self.failure { try await client.connectionState(instance: Self.phoneNumberId) })
            #expect(error.reason == .serverError)
            #expect(error.status == 500)
            #expect(error.isRetryable)
            #expect(error.message.contains("try again later"))
            #expect(try await client.connectionState(instance: Self.phoneNumberId) == .connected)
        }
    }

    @Test func aRateLimitIsARetryableServerError() async throws {
        try await Self.withMeta(http: Self.http(attempts: 1)) { client, simulator in
            await simulator.injectFault(.status(429))
            let error = try #require(await Self.failure { try await client.connectionState(instance: Self.phoneNumberId) })
            #expect(error.reason == .serverError && error.isRetryable && error.status == 429)
            #expect(error.message.contains("rate limit") && error.message.contains("(4)"))
        }
    }

    @Test func sendTextIsTriedOnceOnAServerError() async throws {
        try await Self.withMeta { client, simulator in
            await simulator.injectFault(.status(500), count: 2)
            let error = try #require(await Self.failure {
                try await client.sendText(instance: Self.phoneNumberId, to: "5511999990001", text: "hi")
            })
            #expect(error.reason == .serverError)
            #expect(error.isRetryable)
            #expect(await simulator.sentMessages().isEmpty)
            // One fault is left: the send used exactly one.
            let once = try Self.client(base: try #require(await simulator.baseURL), http: Self.http(attempts: 1))
            let left = await Self.failure { try await once.connectionState(instance: Self.phoneNumberId) }
            try await once.shutdown()
            #expect(left?.reason == .serverError)
            #expect(try await client.connectionState(instance: Self.phoneNumberId) == .connected)
        }
    }

    @Test func anHTMLPageIsAClearRetryableError() async throws {
        try await Self.withMeta(http: Self.http(attempts: 1)) { client, simulator in
            await simulator.injectFault(.html(status: 502))
            let error = try #require(await Self.failure { try await client.connectionState(instance: Self.phoneNumberId) })
            #expect(error.reason == .invalidResponse)
            #expect(error.status == 502)
            #expect(error.isRetryable)
            #expect(error.message.contains("HTML page") && error.message.contains("http://127.0.0.1:"))
        }
    }

    @Test func garbageJSONIsAnInvalidResponse() async throws {
        try await Self.withMeta(http: Self.http(attempts: 1)) { client, simulator in
            await simulator.injectFault(.garbage(status: 200))
            let read = try #require(await Self.failure { try await client.connectionState(instance: Self.phoneNumberId) })
            #expect(read.reason == .invalidResponse && read.isRetryable && read.status == 200)
            #expect(read.message.contains("a body crm cannot read"))
            await simulator.injectFault(.garbage(status: 200))
            let send = try #require(await Self.failure {
                try await client.sendText(instance: Self.phoneNumberId, to: "5511999990001", text: "hi")
            })
            #expect(send.reason == .invalidResponse)
            #expect(await simulator.sentMessages().isEmpty)  // the fault answered before the simulator saw the send
        }
    }

    @Test func aSlowServerTimesOutRetryable() async throws {
        try await Self.withMeta { _, simulator in
            let impatient = try Self.client(
                base: try #require(await simulator.baseURL), http: Self.http(attempts: 1, requestTimeout: .milliseconds(300)))
            await simulator.injectFault(.delay(milliseconds: 120_000))
            let (error, elapsed) = await EvolutionClientTests.timedFailure {
                try await impatient.connectionState(instance: Self.phoneNumberId)
            }
            try await impatient.shutdown()
            let failure = try #require(error)
            #expect(elapsed < .seconds(60))  // far below the 120 s delay: the client gave up
            #expect(failure.reason == .timeout)
            #expect(failure.isRetryable)
            #expect(failure.message.contains("did not answer within 0.3 s"))
        }
    }

    @Test func aClosedPortCannotBeReached() async throws {
        try await EvolutionClientTests.withClosedPort { port in
            let client = try Self.client(base: "http://127.0.0.1:\(port)", http: Self.http(attempts: 2))
            let error = await Self.failure { try await client.connectionState(instance: Self.phoneNumberId) }
            try await client.shutdown()
            let failure = try #require(error)
            #expect(failure.reason == .unreachable)
            #expect(failure.isRetryable)
            #expect(failure.message.hasPrefix("Cannot reach Meta Graph API at http://127.0.0.1:\(port)"))
            Self.expectNoSecrets(failure)
        }
    }

    // MARK: Graph error bodies (fixtures and documented codes)

    static func fixture(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/providers/meta/api/\(name)")
        return try Data(contentsOf: url)
    }

    static func graphError(_ code: Int, subcode: Int? = nil, message: String = "(#100) secret 5511999990009") -> Data {
        var error: [String: Any] = ["message": message, "type": "OAuthException", "code": code, "fbtrace_id": "Atrace"]
        if let subcode { error["error_subcode"] = subcode }
        return try! JSONSerialization.data(withJSONObject: ["error": error])
    }

    @Test func graphErrorCodesMapToReasonsWithoutGraphsText() throws {
        // Never used for a request: a shared HTTP client, so there is nothing to shut down.
        let client = try MetaClient(
            configuration: .init(credentials: Self.credentials(base: "http://127.0.0.1:9")), httpClient: .shared, logger: Self.quietLogger)
        func map(_ body: Data, status: Int = 400, recipient: String? = "5511999990009", template: String? = nil) -> ProviderError {
            client.httpError(ProviderHTTPResponse(status: status, contentType: "application/json", body: body),
                             phoneNumberId: Self.phoneNumberId, recipient: recipient, template: template)
        }
        let expired = map(try Self.fixture("error-190-expired-token.json"), status: 401)
        #expect(expired.reason == .unauthorized && !expired.message.contains("Session has expired"))
        #expect(map(try Self.fixture("error-190-invalid-token.json"), status: 401).reason == .unauthorized)
        let unknown = map(try Self.fixture("error-100-unknown-phone-number-id.json"))
        #expect(unknown.reason == .instanceNotFound && !unknown.message.contains("112233445566770"))
        let allowList = map(try Self.fixture("error-131030-recipient-not-allowed.json"))
        #expect(allowList.reason == .invalidRecipient && allowList.message.contains("5511*****0009"))

        let cases: [(Data, Int, ProviderError.Reason, Bool)] = [
            (Self.graphError(130429), 400, .serverError, true),
            (Self.graphError(80007), 400, .serverError, true),
            (Self.graphError(4), 403, .serverError, true),
            (Self.graphError(2), 503, .serverError, true),
            (Self.graphError(131000), 500, .serverError, true),
            (Self.graphError(131026), 400, .invalidRecipient, false),
            (Self.graphError(131047), 400, .rejected, false),
            (Self.graphError(133010), 400, .notConnected, false),
            (Self.graphError(10), 403, .forbidden, false),
            (Self.graphError(200), 403, .forbidden, false),
            (Self.graphError(100), 400, .rejected, false),  // a bad parameter, not an unknown object
            (Self.graphError(100, subcode: 33), 400, .instanceNotFound, false),
            (Self.graphError(2200), 400, .rejected, false),
            (Data("{}".utf8), 404, .routeNotFound, false),
            (Data("not json".utf8), 500, .serverError, true),
            (Data("Unauthorized".utf8), 401, .unauthorized, false),  // a proxy's bare 401: still the token
        ]
        for (body, status, reason, retryable) in cases {
            let error = map(body, status: status)
            #expect(error.reason == reason, "\(String(decoding: body, as: UTF8.self)) → \(error.reason)")
            #expect(error.isRetryable == retryable)
            #expect(error.status == status)
            #expect(!error.message.contains("secret") && !error.message.contains("5511999990009"))
        }
        let template = map(Self.graphError(132001), template: "order_update")
        #expect(template.reason == .rejected && template.message.contains("'order_update'") && template.message.contains("132001"))
    }
}
