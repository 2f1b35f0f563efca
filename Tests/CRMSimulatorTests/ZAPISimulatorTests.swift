import AsyncHTTPClient
import CRMCore
import CRMProviders
@testable import CRMSimulator
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The simulator's Z-API subset: provisioning, the Client-Token rule, QR and pairing, and the
/// callbacks it posts per kind, each parsed with crm's own `ZAPIWebhookParser`.
@Suite struct ZAPISimulatorTests {
    static let instanceId = "3D9F6A1B2C4E5F60718293A4B5C6D7E8"
    static let token = "F0E1D2C3B4A5968778695A4B"
    static let clientToken = "Fa1b2c3d4e5f60718293a4b5c6d7e8f9S"
    static var prefix: String { "/instances/\(instanceId)/token/\(token)" }

    /// A Z-API call with the account's Client-Token (or `clientToken`, or none).
    static func zapi(
        _ h: SimulatorHarness, _ method: HTTPMethod, _ path: String, json: Any? = nil,
        clientToken: String? = ZAPISimulatorTests.clientToken, token: String = ZAPISimulatorTests.token
    ) async throws -> SimulatorHarness.Reply {
        var request = HTTPClientRequest(url: h.baseURL + "/instances/\(instanceId)/token/\(token)" + path)
        request.method = method
        if let clientToken { request.headers.add(name: "Client-Token", value: clientToken) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))  // the simulator shares a loaded test process
        let buffer = try await response.body.collect(upTo: 4 << 20)
        return SimulatorHarness.Reply(status: Int(response.status.code), body: Data(buffer.readableBytesView))
    }

    /// Provisions the instance (account with a Client-Token) and, unless `webhooks` is empty,
    /// points those kinds at the collector under `/hook/zapi/<kind>`.
    static func provisioned(
        _ h: SimulatorHarness, webhooks: [String] = ["received-delivery", "delivery", "message-status", "connected", "disconnected"]
    ) async throws {
        let reply = try await h.call(.POST, "/_simulator/zapi/instances",
                                     json: ["instanceId": instanceId, "token": token, "clientToken": clientToken])
        #expect(reply.status == 201)
        let base = await h.collector.url
        for kind in webhooks {
            let set = try await zapi(h, .PUT, "/update-webhook-\(kind)", json: ["value": "\(base)/zapi/\(kind)"])
            #expect(set.status == 200 && set.json["value"] as? Bool == true)
        }
    }

    /// Waits (polling, generously) until `count` callbacks reached `/hook/zapi/<kind>`.
    static func waitFor(_ h: SimulatorHarness, _ kind: String, count: Int = 1) async throws -> [WebhookCollector.Received] {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let matching = await h.collector.received.filter { $0.path == "/hook/zapi/\(kind)" }
            if matching.count >= count || ContinuousClock.now >= deadline { return matching }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    static func parse(_ received: WebhookCollector.Received) throws -> [WebhookEvent] {
        try ZAPIWebhookParser().parse(received.body, pathEvent: nil)
    }

    static func fixture(_ relativePath: String) throws -> Any {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/providers/zapi/\(relativePath)")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }

    static func json(_ received: WebhookCollector.Received) throws -> Any { try JSONSerialization.jsonObject(with: received.body) }

    // MARK: provisioning and auth

    @Test func callsNeedTheInstanceTokenAndTheAccountsClientToken() async throws {
        try await SimulatorHarness.with { h in
            try await Self.provisioned(h, webhooks: [])
            let missing = try await Self.zapi(h, .GET, "/status", clientToken: nil)
            #expect(missing.status == 401)
            #expect(missing.json as NSDictionary == (try Self.fixture("api/error-client-token-missing.json")) as? NSDictionary)
            let wrong = try await Self.zapi(h, .GET, "/status", clientToken: "not-the-token")
            #expect(wrong.status == 401 && wrong.json["error"] as? String == "not-the-token not allowed")
            let badToken = try await Self.zapi(h, .GET, "/status", token: "WRONG")
            #expect(badToken.status == 404 && badToken.json["error"] as? String != nil)
            let status = try await Self.zapi(h, .GET, "/status")
            #expect(status.status == 200)
            #expect(status.json as NSDictionary == (try Self.fixture("api/status-disconnected.response.json")) as? NSDictionary)

            // Provisioning again: same token updates the client token (here: none required); another token is refused.
            let again = try await h.call(.POST, "/_simulator/zapi/instances", json: ["instanceId": Self.instanceId, "token": Self.token])
            #expect(again.status == 200)
            #expect(try await Self.zapi(h, .GET, "/status", clientToken: nil).status == 200)
            let clash = try await h.call(.POST, "/_simulator/zapi/instances", json: ["instanceId": Self.instanceId, "token": "OTHER"])
            #expect(clash.status == 409)
        }
    }

    @Test func webhookUpdatesAreStoredPerKind() async throws {
        try await SimulatorHarness.with { h in
            try await Self.provisioned(h, webhooks: [])
            let every = try await Self.zapi(h, .PUT, "/update-every-webhooks", json: ["value": "https://crm.example/hook", "notifySentByMe": true])
            #expect(every.status == 200 && every.json["value"] as? Bool == true)
            _ = try await Self.zapi(h, .PUT, "/update-webhook-delivery", json: ["value": "https://crm.example/delivery"])
            let webhooks = await h.simulator.zapiWebhooks(instanceId: Self.instanceId)
            #expect(webhooks.count == ZAPIWebhookKind.allCases.count)
            #expect(webhooks[.delivery] == "https://crm.example/delivery")
            #expect(webhooks[.chatPresence] == "https://crm.example/hook")
            #expect(await h.simulator.zapiNotifiesSentByMe(instanceId: Self.instanceId))
            _ = try await Self.zapi(h, .PUT, "/update-notify-sent-by-me", json: ["notifySentByMe": false])
            let shown = try await h.call(.GET, "/_simulator/zapi/instances/\(Self.instanceId)")
            #expect(shown.json["notifySentByMe"] as? Bool == false)
            #expect(try await Self.zapi(h, .PUT, "/update-webhook-connected", json: ["url": "x"]).status == 400)
        }
    }

    // MARK: QR and pairing

    @Test func theQRCodeRotatesAndPairingEndsIt() async throws {
        try await SimulatorHarness.with { h in
            try await Self.provisioned(h, webhooks: ["connected"])
            let first = try #require(try await Self.zapi(h, .GET, "/qr-code").json["value"] as? String)
            #expect(first.hasPrefix("2@") && first.split(separator: ",").count == 4)
            let image = try #require(try await Self.zapi(h, .GET, "/qr-code/image").json["value"] as? String)
            #expect(image.hasPrefix("data:image/png;base64,"))
            #expect(try await h.call(.POST, "/_simulator/instances/\(Self.instanceId)/rotate").status == 200)
            let second = try #require(try await Self.zapi(h, .GET, "/qr-code").json["value"] as? String)
            #expect(second != first)

            let scan = try await h.call(.POST, "/_simulator/instances/\(Self.instanceId)/scan", json: ["phone": "5511999990000"])
            #expect(scan.status == 200)
            #expect(try await Self.zapi(h, .GET, "/qr-code").json["connected"] as? Bool == true)
            let status = try await Self.zapi(h, .GET, "/status")
            #expect(status.json as NSDictionary == (try Self.fixture("api/status-connected.response.json")) as? NSDictionary)
            #expect(try await Self.zapi(h, .GET, "/device").json["phone"] as? String == "5511999990000")

            let connected = try await Self.waitFor(h, "connected")
            #expect(connected.count == 1)
            guard case .connectionChanged(let change)? = try Self.parse(try #require(connected.first)).first else {
                Issue.record("ConnectedCallback not parsed as a connection change"); return
            }
            #expect(change.instance == Self.instanceId && change.state == .connected && change.reason == .scanCompleted)
            #expect(change.phone == "5511999990000")
            #expect(EvolutionFixture.extraKeys(try Self.json(connected[0]), comparedTo: try Self.fixture("webhooks/connected.json")) == [])
        }
    }

    @Test func closingAndDisconnectingPostDisconnectedCallbacks() async throws {
        try await SimulatorHarness.with { h in
            try await Self.provisioned(h)
            #expect(await h.simulator.scan(instance: Self.instanceId))
            #expect(try await h.call(.POST, "/_simulator/instances/\(Self.instanceId)/close").status == 200)
            // A new pairing, then the API's own disconnect (twice: the second is a no-op).
            #expect(try await Self.zapi(h, .GET, "/qr-code").json["value"] as? String != nil)
            #expect(await h.simulator.scan(instance: Self.instanceId))
            let logout = try await Self.zapi(h, .GET, "/disconnect")
            #expect(logout.json as NSDictionary == (try Self.fixture("api/disconnect.response.json")) as? NSDictionary)
            #expect(try await Self.zapi(h, .GET, "/disconnect").status == 200)

            let disconnected = try await Self.waitFor(h, "disconnected", count: 2)
            #expect(disconnected.count == 2)
            for received in disconnected {
                guard case .connectionChanged(let change)? = try Self.parse(received).first else {
                    Issue.record("DisconnectedCallback not parsed"); return
                }
                #expect(change.instance == Self.instanceId && change.state == .disconnected)
                #expect(EvolutionFixture.extraKeys(try Self.json(received), comparedTo: try Self.fixture("webhooks/disconnected.json")) == [])
            }
            #expect(try await Self.waitFor(h, "connected", count: 2).count == 2)
        }
    }

    // MARK: messages

    @Test func aSendIsEchoedDeliveredAndReportedSentReceivedRead() async throws {
        try await SimulatorHarness.with { h in
            try await Self.provisioned(h)
            #expect(await h.simulator.scan(instance: Self.instanceId, phone: "5511999990000"))
            let sent = try await Self.zapi(h, .POST, "/send-text", json: ["phone": "5511999990001", "message": "Olá ☕"])
            #expect(sent.status == 200)
            let id = try #require(sent.json["messageId"] as? String)
            #expect(sent.json["id"] as? String == id)
            #expect((sent.json["zaapId"] as? String)?.count == 32)
            #expect(Set(sent.json.keys) == Set((try Self.fixture("api/send-text.response.json") as? [String: Any])?.keys ?? [:].keys))

            let statuses = try await Self.waitFor(h, "message-status", count: 3)
            #expect(statuses.count == 3)
            let changes = try statuses.flatMap(Self.parse).compactMap { event -> MessageStatusChange? in
                if case .statusChanged(let change) = event { change } else { nil }
            }
            #expect(changes.map(\.status) == [.sent, .delivered, .read])
            #expect(changes.allSatisfy { $0.externalId == id && $0.instance == Self.instanceId })
            #expect(EvolutionFixture.extraKeys(try Self.json(statuses[2]), comparedTo: try Self.fixture("webhooks/message-status-read.json")) == [])

            let echo = try await Self.waitFor(h, "received-delivery")
            guard case .inboundMessage(let message)? = try Self.parse(try #require(echo.first)).first else {
                Issue.record("echo not parsed as a message"); return
            }
            #expect(message.fromMe && message.externalId == id && message.from == "5511999990001" && message.text == "Olá ☕")
            #expect(EvolutionFixture.extraKeys(try Self.json(echo[0]), comparedTo: try Self.fixture("webhooks/received-text.json")) == [])

            let delivery = try await Self.waitFor(h, "delivery")
            guard case .statusChanged(let handed)? = try Self.parse(try #require(delivery.first)).first else {
                Issue.record("DeliveryCallback not parsed"); return
            }
            #expect(handed.externalId == id && handed.status == .sent)
            #expect(EvolutionFixture.extraKeys(try Self.json(delivery[0]), comparedTo: try Self.fixture("webhooks/delivery.json")) == [])

            // One ordered queue: echo, delivery, then the statuses.
            let order = await h.collector.received.map(\.path).filter { !$0.hasSuffix("/connected") }
            #expect(order == ["/hook/zapi/received-delivery", "/hook/zapi/delivery"] + Array(repeating: "/hook/zapi/message-status", count: 3))
            #expect(await h.simulator.sentMessages().map(\.externalId) == [id])
        }
    }

    @Test func withoutNotifySentByMeThereIsNoEcho() async throws {
        try await SimulatorHarness.with(settings: SimulatorSettings(sendsReadReceipt: false)) { h in
            try await Self.provisioned(h, webhooks: ["received", "message-status"])
            #expect(await h.simulator.scan(instance: Self.instanceId))
            #expect(try await Self.zapi(h, .POST, "/send-text", json: ["phone": "5511999990001", "message": "hi"]).status == 200)
            let statuses = try await Self.waitFor(h, "message-status", count: 2)
            #expect(statuses.count == 2)
            // The echo would have been queued before the statuses: none came.
            #expect(await h.collector.received.filter { $0.path == "/hook/zapi/received" }.isEmpty)
        }
    }

    @Test func aSendNeedsAPairedNumberAndAPhone() async throws {
        try await SimulatorHarness.with { h in
            try await Self.provisioned(h, webhooks: [])
            let unpaired = try await Self.zapi(h, .POST, "/send-text", json: ["phone": "5511999990001", "message": "hi"])
            #expect(unpaired.status == 400 && (unpaired.json["error"] as? String)?.contains("not connected") == true)
            #expect(await h.simulator.scan(instance: Self.instanceId))
            #expect(try await Self.zapi(h, .POST, "/send-text", json: ["message": "hi"]).status == 400)
            #expect(await h.simulator.sentMessages().isEmpty)
        }
    }

    @Test func aContactsMessageArrivesAsAReceivedCallback() async throws {
        try await SimulatorHarness.with { h in
            try await Self.provisioned(h)
            #expect(await h.simulator.scan(instance: Self.instanceId, phone: "5511999990000"))
            let id = try #require(await h.simulator.inbound(
                instance: Self.instanceId, from: "5511999990001", text: "Vocês entregam no sábado?", pushName: "Maria"))
            let received = try await Self.waitFor(h, "received-delivery")
            guard case .inboundMessage(let message)? = try Self.parse(try #require(received.first)).first else {
                Issue.record("ReceivedCallback not parsed"); return
            }
            #expect(message.instance == Self.instanceId && message.externalId == id && !message.fromMe)
            #expect(message.from == "5511999990001" && message.text == "Vocês entregam no sábado?" && message.senderName == "Maria")
            #expect(EvolutionFixture.extraKeys(try Self.json(received[0]), comparedTo: try Self.fixture("webhooks/received-text.json")) == [])
        }
    }

    // MARK: faults

    @Test func faultsApplyToZAPIRoutes() async throws {
        try await SimulatorHarness.with { h in
            try await Self.provisioned(h, webhooks: [])
            #expect(try await h.call(.POST, "/_simulator/faults", json: ["status": 503]).status == 200)
            #expect(try await Self.zapi(h, .GET, "/status").status == 503)
            #expect(try await h.call(.POST, "/_simulator/faults", json: ["garbage": true]).status == 200)
            let garbage = try await Self.zapi(h, .GET, "/status")
            #expect(garbage.status == 200)
            #expect((try? JSONSerialization.jsonObject(with: garbage.body)) == nil)
            #expect(try await Self.zapi(h, .GET, "/status").status == 200)
        }
    }
}
