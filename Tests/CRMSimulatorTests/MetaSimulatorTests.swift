import AsyncHTTPClient
import CRMCore
@testable import CRMProviders
@testable import CRMSimulator
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A simulator with one webhook receiver, and a client for the Graph routes and the control surface.
struct MetaHarness {
    static let phoneNumberId = "112233445566778"
    static let accessToken = "EAAGm0PX4ZCpsBAsimulatortoken1a2b3c"
    static let appSecret = "test-app-secret-acme-3f9c1e"
    static let verifyToken = "test-verify-token-acme"

    let simulator: EvolutionSimulator
    let receiver: MetaWebhookReceiver
    let baseURL: String

    static func with(settings: SimulatorSettings = SimulatorSettings(), _ body: (MetaHarness) async throws -> Void) async throws {
        let receiver = MetaWebhookReceiver(verifyToken: verifyToken)
        try await receiver.start()
        let simulator = EvolutionSimulator(configuration: .init(
            apiKey: SimulatorHarness.apiKey, settings: settings,
            webhookRetry: WebhookRetryPolicy(maxAttempts: 3, firstBackoffMs: 20, timeoutMs: 30_000)
        ), logger: SimulatorHarness.quietLogger)
        let port = try await simulator.start()
        let harness = MetaHarness(simulator: simulator, receiver: receiver, baseURL: "http://127.0.0.1:\(port)")
        do {
            try await body(harness)
        } catch {
            await simulator.stop()
            await receiver.stop()
            throw error
        }
        await simulator.stop()
        await receiver.stop()
    }

    /// `POST /_simulator/meta/numbers`; the webhook URL is the receiver's unless told otherwise.
    @discardableResult
    func provision(
        _ id: String = phoneNumberId, token: String = accessToken, verifyToken: String = verifyToken,
        webhook: Bool = true, extra: [String: Any] = [:]
    ) async throws -> SimulatorHarness.Reply {
        var body: [String: Any] = [
            "phoneNumberId": id, "displayPhoneNumber": "+55 11 94000-0000", "accessToken": token,
            "appSecret": Self.appSecret, "verifyToken": verifyToken,
        ]
        if webhook { body["webhookURL"] = await receiver.url }
        body.merge(extra) { $1 }
        return try await call(.POST, "/_simulator/meta/numbers", json: body, token: nil)
    }

    func call(_ method: HTTPMethod, _ path: String, json: Any? = nil, token: String? = accessToken) async throws -> SimulatorHarness.Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        // Longer than the harness's 30 s webhook timeout: provisioning waits for Meta's handshake.
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let buffer = try await response.body.collect(upTo: 4 << 20)
        return SimulatorHarness.Reply(status: Int(response.status.code), body: Data(buffer.readableBytesView))
    }

    func sendText(to: String = "5511999990001", text: String = "Olá ☕") async throws -> SimulatorHarness.Reply {
        try await call(.POST, "/v23.0/\(Self.phoneNumberId)/messages", json: [
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "text",
            "text": ["preview_url": false, "body": text],
        ])
    }

    /// `sha256=` + hex HMAC-SHA256, computed here with swift-crypto, independently of the simulator.
    static func signature(_ body: Data, secret: String = appSecret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func events(_ post: MetaWebhookReceiver.Post) throws -> [WebhookEvent] {
        try MetaWebhookParser().parse(post.body, pathEvent: nil)
    }

    static func statuses(_ posts: [MetaWebhookReceiver.Post]) throws -> [MessageStatusChange] {
        try posts.flatMap(events).compactMap { event -> MessageStatusChange? in
            if case .statusChanged(let change) = event { change } else { nil }
        }
    }
}

/// Loads `Tests/Fixtures/providers/meta/…` and compares shapes.
enum MetaFixture {
    static func data(_ relativePath: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/providers/meta/\(relativePath)")
        return try Data(contentsOf: url)
    }

    static func json(_ relativePath: String) throws -> Any { try JSONSerialization.jsonObject(with: try data(relativePath)) }

    /// Keys our body has that the fixture lacks, as dotted paths, descending into objects and into
    /// every array element (compared with the fixture's first): the simulator must not invent fields.
    static func extraKeys(_ ours: Any, comparedTo fixture: Any, path: String = "") -> [String] {
        if let ours = ours as? [Any], let theirs = (fixture as? [Any])?.first {
            return ours.enumerated().flatMap { extraKeys($1, comparedTo: theirs, path: "\(path)[\($0)]") }
        }
        guard let ours = ours as? [String: Any], let fixture = fixture as? [String: Any] else { return [] }
        return ours.keys.sorted().flatMap { key -> [String] in
            let here = path.isEmpty ? key : "\(path).\(key)"
            guard let theirs = fixture[key] else { return [here] }
            return extraKeys(ours[key]!, comparedTo: theirs, path: here)
        }
    }
}

/// The WhatsApp Cloud API subset: Graph routes and rules, the verification handshake, signed webhooks.
@Suite struct MetaSimulatorTests {
    @Test func theTestsHMACMatchesTheFixtureSignatures() throws {
        let signatures = try #require(try MetaFixture.json("signatures.json") as? [String: Any])
        let expected = try #require(signatures["signatures"] as? [String: String])
        #expect(expected.count == 6)
        for (file, header) in expected {
            let body = try MetaFixture.data(String(file.dropFirst("meta/".count)))
            #expect(MetaHarness.signature(body, secret: try #require(signatures["appSecret"] as? String)) == header, "\(file)")
        }
    }

    // MARK: provisioning and the handshake

    @Test func provisioningRunsMetasHandshakeBeforeUsingTheURL() async throws {
        try await MetaHarness.with { h in
            let reply = try await h.provision()
            #expect(reply.status == 201)
            let verification = try #require(reply.json["webhookVerification"] as? [String: Any])
            #expect(verification["passed"] as? Bool == true && verification["status"] as? Int == 200)
            let handshakes = await h.receiver.handshakes
            #expect(handshakes.count == 1)
            #expect(handshakes.first?.mode == "subscribe")
            #expect(handshakes.first?.verifyToken == MetaHarness.verifyToken)
            #expect(handshakes.first?.challenge.map { !$0.isEmpty && $0.allSatisfy(\.isNumber) } == true)

            let config = try await h.call(.GET, "/v23.0/\(MetaHarness.phoneNumberId)?fields=webhook_configuration")
            #expect(config.status == 200)
            #expect(config.json["id"] as? String == MetaHarness.phoneNumberId)
            #expect((config.json["webhook_configuration"] as? [String: Any])?["application"] as? String == (await h.receiver.url))
        }
    }

    @Test func aWrongVerifyTokenFailsTheHandshakeAndNothingIsPosted() async throws {
        try await MetaHarness.with { h in
            let reply = try await h.provision(verifyToken: "not-the-listeners-token")
            #expect(reply.status == 201)
            let verification = try #require(reply.json["webhookVerification"] as? [String: Any])
            #expect(verification["passed"] as? Bool == false && verification["status"] as? Int == 403)
            #expect((verification["detail"] as? String)?.contains("HTTP Status Code = 403") == true)
            #expect(reply.json["webhookURL"] is NSNull)

            #expect(try await h.sendText().status == 200)
            let inbound = try await h.call(.POST, "/_simulator/instances/\(MetaHarness.phoneNumberId)/inbound",
                                           json: ["from": "5511999990001", "text": "oi"], token: nil)
            #expect(inbound.status == 200)
            try await Task.sleep(for: .milliseconds(400))
            #expect(await h.receiver.posts.isEmpty)
        }
    }

    @Test func theSwiftAPIReportsTheHandshake() async throws {
        try await MetaHarness.with { h in
            let config = MetaNumberConfiguration(
                phoneNumberId: "200300400500600", displayPhoneNumber: "+55 21 3000-0000", accessToken: "EAAGothertoken0000",
                appSecret: "other-secret", webhookURL: await h.receiver.url, verifyToken: MetaHarness.verifyToken)
            let passed = try #require(await h.simulator.addMetaNumber(config))
            #expect(passed.passed && passed.status == 200)
            var wrong = config
            wrong.verifyToken = "nope"
            let failed = try #require(await h.simulator.addMetaNumber(wrong))
            #expect(!failed.passed && failed.status == 403)
            var none = config
            none.webhookURL = nil
            #expect(await h.simulator.addMetaNumber(none) == nil)
        }
    }

    // MARK: Graph routes

    @Test func graphAnswersTheNumberAndEnforcesTokens() async throws {
        try await MetaHarness.with { h in
            try await h.provision()
            try await h.provision("200300400500600", token: "EAAGothertoken0000", webhook: false)
            let path = "/v23.0/\(MetaHarness.phoneNumberId)"

            let number = try await h.call(.GET, path)
            #expect(number.status == 200)
            #expect(number.json["display_phone_number"] as? String == "+55 11 94000-0000")
            var fixture = try #require(try MetaFixture.json("api/phone-number.response.json") as? [String: Any])
            fixture.removeValue(forKey: "webhook_configuration")  // asked for explicitly, and depends on the app
            #expect(Set(number.json.keys) == Set(fixture.keys))

            for token in [nil, "EAAGwrong"] as [String?] {
                let refused = try await h.call(.GET, path, token: token)
                let error = try #require(refused.json["error"] as? [String: Any])
                #expect(refused.status == 401 && error["code"] as? Int == 190 && error["type"] as? String == "OAuthException")
                #expect(error["fbtrace_id"] is String)
            }
            // A valid token for another number: Graph says the object does not exist (100/33).
            let other = try await h.call(.GET, path, token: "EAAGothertoken0000")
            let error = try #require(other.json["error"] as? [String: Any])
            #expect(other.status == 400 && error["code"] as? Int == 100 && error["error_subcode"] as? Int == 33)
            #expect(MetaFixture.extraKeys(other.json, comparedTo: try MetaFixture.json("api/error-100-unknown-phone-number-id.json")) == [])

            let field = try await h.call(.GET, path + "?fields=display_phone_number,no_such_field")
            #expect(field.status == 400 && (field.json["error"] as? [String: Any])?["code"] as? Int == 100)
            // Evolution's routes still answer next to Graph's.
            let evolution = try await h.call(.GET, "/instance/fetchInstances", token: nil)
            #expect(evolution.status == 401)
        }
    }

    @Test func aSendAnswersLikeGraphAndIsRecorded() async throws {
        try await MetaHarness.with { h in
            try await h.provision()
            let reply = try await h.sendText(to: "+55 11 99999-0001")
            #expect(reply.status == 200)
            #expect(MetaFixture.extraKeys(reply.json, comparedTo: try MetaFixture.json("api/messages-send-text.response.json")) == [])
            let wamid = try #require((reply.json["messages"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(wamid.hasPrefix("wamid.") && Data(base64Encoded: String(wamid.dropFirst(6))) != nil)
            #expect((reply.json["contacts"] as? [[String: Any]])?.first?["wa_id"] as? String == "5511999990001")

            let invalid = try await h.call(.POST, "/v23.0/\(MetaHarness.phoneNumberId)/messages", json: ["to": "5511999990001", "type": "text"])
            #expect(invalid.status == 400 && (invalid.json["error"] as? [String: Any])?["code"] as? Int == 100)

            let record = try await h.call(.GET, "/_simulator/sent", token: nil)
            #expect(record.array.count == 1)
            #expect(record.array.first?["externalId"] as? String == wamid)
            #expect(record.array.first?["instance"] as? String == MetaHarness.phoneNumberId)
            #expect(record.array.first?["to"] as? String == "5511999990001")
            #expect(record.array.first?["template"] is NSNull)
        }
    }

    @Test func faultsApplyToGraphRoutesInGraphsShape() async throws {
        try await MetaHarness.with { h in
            try await h.provision(webhook: false)
            let path = "/v23.0/\(MetaHarness.phoneNumberId)"
            #expect(try await h.call(.POST, "/_simulator/faults", json: ["status": 500], token: nil).status == 200)
            let failed = try await h.call(.GET, path)
            #expect(failed.status == 500 && (failed.json["error"] as? [String: Any])?["code"] as? Int == 1)
            #expect(try await h.call(.POST, "/_simulator/faults", json: ["garbage": true], token: nil).status == 200)
            let garbage = try await h.call(.GET, path)
            #expect(garbage.status == 200 && (try? JSONSerialization.jsonObject(with: garbage.body)) == nil)
            #expect(try await h.call(.GET, path).status == 200)
        }
    }

    // MARK: webhooks

    @Test func statusesArriveSignedInOrderAndParse() async throws {
        try await MetaHarness.with { h in
            try await h.provision()
            let reply = try await h.sendText()
            let wamid = try #require((reply.json["messages"] as? [[String: Any]])?.first?["id"] as? String)
            let posts = try await h.receiver.waitForPosts(count: 3)
            #expect(posts.count == 3)
            for post in posts {
                #expect(post.signature == MetaHarness.signature(post.body))
                #expect(post.signature != MetaHarness.signature(post.body, secret: "another-secret"))
                #expect(post.contentType == "application/json")
            }
            let statuses = try MetaHarness.statuses(posts)
            #expect(statuses.map(\.status) == [.sent, .delivered, .read])
            #expect(statuses.allSatisfy { $0.externalId == wamid && $0.instance == MetaHarness.phoneNumberId })

            for (post, fixture) in zip(posts, ["statuses-sent.json", "statuses-delivered.json", "statuses-read.json"]) {
                let body = try JSONSerialization.jsonObject(with: post.body)
                #expect(MetaFixture.extraKeys(body, comparedTo: try MetaFixture.json("webhooks/\(fixture)")) == [], "\(fixture)")
                let root = try #require(body as? [String: Any])
                #expect(root["object"] as? String == "whatsapp_business_account")
                let change = try #require(((root["entry"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])?.first)
                #expect(change["field"] as? String == "messages")
                let metadata = (change["value"] as? [String: Any])?["metadata"] as? [String: Any]
                #expect(metadata?["display_phone_number"] as? String == "5511940000000")
            }
        }
    }

    @Test func statusesHonourTheAckDelayAndTheReadSetting() async throws {
        try await MetaHarness.with(settings: SimulatorSettings(ackDelayMs: 150, sendsReadReceipt: false)) { h in
            try await h.provision()
            let sentAt = ContinuousClock.now
            #expect(try await h.sendText().status == 200)
            let posts = try await h.receiver.waitForPosts(count: 2)
            #expect(try MetaHarness.statuses(posts).map(\.status) == [.sent, .delivered])
            // Lower bounds only: each status waits ackDelayMs after the previous one.
            #expect(posts.first.map { $0.at - sentAt >= .milliseconds(150) } == true)
            #expect(posts.last.map { $0.at - sentAt >= .milliseconds(300) } == true)
            try await Task.sleep(for: .milliseconds(500))
            #expect(await h.receiver.posts.count == 2)  // no read
        }
    }

    @Test func aNumberNotOnWhatsAppGetsAFailedStatus() async throws {
        try await MetaHarness.with(settings: SimulatorSettings(numbersNotOnWhatsApp: ["5511999990003"])) { h in
            try await h.provision()
            let reply = try await h.sendText(to: "5511999990003")
            #expect(reply.status == 200)  // Meta accepts the send, then reports it
            let posts = try await h.receiver.waitForPosts(count: 1)
            let statuses = try MetaHarness.statuses(posts)
            #expect(statuses.map(\.status) == [.failed])
            #expect(statuses.first?.errorCode == 131026)
            let body = try JSONSerialization.jsonObject(with: try #require(posts.first).body)
            #expect(MetaFixture.extraKeys(body, comparedTo: try MetaFixture.json("webhooks/statuses-failed.json")) == [])
        }
    }

    @Test func inboundMessagesArriveSignedAndParse() async throws {
        try await MetaHarness.with { h in
            try await h.provision()
            let reply = try await h.call(.POST, "/_simulator/instances/\(MetaHarness.phoneNumberId)/inbound",
                                         json: ["from": "5511999990001", "text": "Vocês entregam no sábado? 🚚", "pushName": "Maria"], token: nil)
            #expect(reply.status == 200)
            let id = try #require(reply.json["externalId"] as? String)
            let second = await h.simulator.inbound(instance: MetaHarness.phoneNumberId, from: "5511999990002", text: "oi")
            let posts = try await h.receiver.waitForPosts(count: 2)
            try #require(posts.count == 2)
            #expect(posts.allSatisfy { $0.signature == MetaHarness.signature($0.body) })
            let messages = try posts.flatMap(MetaHarness.events).compactMap { event -> InboundMessage? in
                if case .inboundMessage(let message) = event { message } else { nil }
            }
            #expect(messages.map(\.externalId) == [id, second])
            #expect(messages.first?.from == "5511999990001" && messages.first?.text == "Vocês entregam no sábado? 🚚")
            #expect(messages.first?.senderName == "Maria")
            #expect(messages.allSatisfy { !$0.fromMe && $0.instance == MetaHarness.phoneNumberId })
            let body = try JSONSerialization.jsonObject(with: posts[0].body)
            #expect(MetaFixture.extraKeys(body, comparedTo: try MetaFixture.json("webhooks/messages-text.json")) == [])
        }
    }

    // MARK: the client's webhook override, end to end

    @Test func theClientSetsTheNumbersWebhookOverrideAfterTheHandshake() async throws {
        try await MetaHarness.with { h in
            try await h.provision(webhook: false)
            func client(verifyToken: String) throws -> MetaClient {
                try MetaClient(configuration: .init(credentials: MetaCredentials(
                    phoneNumberId: MetaHarness.phoneNumberId, accessToken: MetaHarness.accessToken, appSecret: MetaHarness.appSecret,
                    verifyToken: verifyToken, baseURL: h.baseURL)))
            }
            let url = await h.receiver.url

            let wrong = try client(verifyToken: "stale-token")
            await #expect(throws: ProviderError.self) { try await wrong.ensureInstance(named: MetaHarness.phoneNumberId, webhookURL: url) }
            try await wrong.shutdown()
            let before = try await h.call(.GET, "/v23.0/\(MetaHarness.phoneNumberId)?fields=webhook_configuration")
            #expect((before.json["webhook_configuration"] as? [String: Any])?["phone_number"] == nil)

            let right = try client(verifyToken: MetaHarness.verifyToken)
            let state = try await right.ensureInstance(named: MetaHarness.phoneNumberId, webhookURL: url)
            try await right.shutdown()
            #expect(state.state == .connected)
            // The same token twice in a row is the client retrying a handshake that answered late (a
            // loaded CI machine did): the order of the tokens is what matters.
            let tokens = await h.receiver.handshakes.map(\.verifyToken)
            let attempts = tokens.enumerated().filter { $0.offset == 0 || tokens[$0.offset - 1] != $0.element }.map(\.element)
            #expect(attempts == ["stale-token", MetaHarness.verifyToken], "\(tokens)")
            let after = try await h.call(.GET, "/v23.0/\(MetaHarness.phoneNumberId)?fields=webhook_configuration")
            #expect((after.json["webhook_configuration"] as? [String: Any])?["phone_number"] as? String == url)

            _ = await h.simulator.inbound(instance: MetaHarness.phoneNumberId, from: "5511999990001", text: "oi")
            let posts = try await h.receiver.waitForPosts(count: 1)
            #expect(posts.count == 1 && posts.first?.signature == MetaHarness.signature(posts[0].body))
        }
    }
}
