import CRMCore
import CRMProviders
import CRMSimulator
import CRMTestSupport
import Foundation
import Testing

/// How the listener answers what is not a clean webhook, and the Meta and Z-API paths.
@Suite("crm webhook serve: answers, Meta, Z-API, metrics")
struct ListenerHTTPTests {
    @Test("unknown secret 404, wrong provider 409, invalid body 400 (stored), too large 413, health, metrics")
    func answers() async throws {
        try await ListenerFixture.with(.sqlite) { f in
            let connect = try #require(try await f.whatsapp(["connect", "--no-wait", "--json"]).json as? [String: Any])
            let path = ListenerFixture.path(of: try #require(connect["webhookURL"] as? String))
            let secret = String(path.split(separator: "/").last!)
            let upsert = try WebhookTriggerEvent.evolutionMessagesUpsert.request(
                instance: "crm-loja", contactPhone: "5511976543210", metaAppSecret: nil)

            #expect(try await f.post("/webhooks/whatsapp/evolution/" + WebhookSecret.generate(), body: upsert.body).status == 404)
            #expect(try await f.post("/webhooks/whatsapp/evolution/not-a-secret", body: upsert.body).status == 404)
            #expect(try await f.post("/webhooks/whatsapp/zapi/" + secret, body: upsert.body).status == 409)
            #expect(try await f.post("/webhooks/whatsapp/telegram/" + secret, body: upsert.body).status == 404)
            let garbage = try await f.post(path, body: Data("<html>oops</html>".utf8))
            #expect(garbage.status == 400 && garbage.text.contains("invalid body"), "\(garbage.text)")
            #expect(try await f.count("SELECT count(*) AS n FROM webhook_events WHERE result = 'invalid'") == 1)
            let huge = Data(repeating: UInt8(ascii: " "), count: 2 << 20)
            #expect(try await f.post(path, body: huge).status == 413)
            #expect(try await f.count("SELECT count(*) AS n FROM messages") == 0, "nothing applied from refused bodies")

            // The same body under another instance name: stored, answered 200, counted as unknown.
            let stranger = try WebhookTriggerEvent.evolutionMessagesUpsert.request(
                instance: "someone-else", contactPhone: "5511976543210", metaAppSecret: nil)
            let unknown = try await f.post(path, body: stranger.body)
            #expect(unknown.status == 200 && unknown.json["result"] as? String == "unknown_instance", "\(unknown.text)")
            #expect(try await f.post(path, body: upsert.body).json["result"] as? String == "applied")

            let health = try await f.get("/health")
            #expect(health.status == 200 && health.json["database"] as? String == "ok")
            let live = try await f.get("/livez")
            #expect(live.status == 200 && live.json["status"] as? String == "ok")
            let metrics = try await f.get("/metrics").text
            #expect(metrics.contains("crm_webhook_unknown_secrets_total 2"), "\(metrics)")
            #expect(metrics.contains(#"crm_webhook_parse_failures_total{provider="evolution"} 1"#))
            #expect(metrics.contains(#"crm_webhook_unknown_instances_total{provider="evolution"} 1"#))
            #expect(metrics.contains(#"result="applied""#))
            #expect(!metrics.contains(secret))
        }
    }

    @Test("crm webhook trigger posts a sample the listener applies; --list names every event")
    func trigger() async throws {
        try await ListenerFixture.with(.sqlite) { f in
            #expect(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
            let list = try await f.pairing.base.cli.run(["webhook", "trigger", "--list"])
            #expect(WebhookTriggerEvent.allCases.allSatisfy { list.stdout.contains($0.rawValue) }, "\(list.stdout)")
            let environment = f.pairing.environment.merging(["BASE_URL": f.listener.baseURL]) { $1 }
            let posted = try await f.pairing.base.cli.run(
                ["webhook", "trigger", "evolution.messages.upsert", "--unit", "loja", "--json", "--database", f.pairing.base.databaseURL],
                environment: environment)
            #expect(posted.status == 0, "\(posted)")
            let json = try #require(posted.json as? [String: Any])
            #expect(json["status"] as? Int == 200)
            #expect((json["answer"] as? String)?.contains("applied") == true)
            #expect((json["url"] as? String)?.contains("/****") == true, "the URL is shown with its secret masked")
            #expect(try await f.count("SELECT count(*) AS n FROM messages") == 1)
            let wrong = try await f.pairing.base.cli.run(
                ["webhook", "trigger", "zapi.received", "--unit", "loja", "--database", f.pairing.base.databaseURL],
                environment: environment)
            expectCleanError(wrong, status: 65, mentions: "uses evolution")
        }
    }

    @Test("over the per-unit limit: 429 with Retry-After")
    func rateLimit() async throws {
        try await PairingFixture.with(.sqlite) { pairing in
            var environment = pairing.base.cli.environment
            environment.merge(pairing.environment) { _, new in new }
            let listener = try await ListenerProcess.start(
                databaseURL: pairing.base.databaseURL, environment: environment, extraArguments: ["--rate-limit-unit", "1"])
            let f = ListenerFixture(pairing: pairing, listener: listener)
            let connect = try #require(try await f.whatsapp(["connect", "--no-wait", "--json"]).json as? [String: Any])
            let path = ListenerFixture.path(of: try #require(connect["webhookURL"] as? String))
            // Ten at once against a burst of 2 at 1/s: sent one after another, a slow machine would
            // refill the bucket between them.
            let bodies = try (0..<10).map { _ in
                try WebhookTriggerEvent.evolutionMessagesUpsert.request(
                    instance: "crm-loja", contactPhone: "5511976543210", metaAppSecret: nil).body
            }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for body in bodies { group.addTask { try await f.post(path, body: body).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.contains(429), "\(statuses)")
            #expect(await listener.stop() == 0)
        }
    }

    @Test("Meta: the app's verification, signed bodies only, statuses and messages stored")
    func meta() async throws {
        try await ListenerFixture.with(.sqlite) { f in
            let number = MetaNumberConfiguration(
                phoneNumberId: "112233445566778", displayPhoneNumber: "+55 11 98765-4321", accessToken: "EAAG-meta-token-0003",
                appSecret: "meta-app-secret-0004")
            _ = await f.pairing.simulator.addMetaNumber(number)
            let configured = try await f.whatsapp([
                "configure", "--provider", "meta", "--phone-number-id", number.phoneNumberId, "--access-token", number.accessToken,
                "--app-secret", number.appSecret, "--verify-token", "verify-0005", "--base-url", f.pairing.simulatorURL,
            ])
            try #require(configured.status == 0, "\(configured)")
            // The simulator verifies the callback against the listener, as Meta does.
            let connected = try await f.whatsapp(["connect", "--json"])
            #expect(connected.status == 0, "\(connected)")
            let path = ListenerFixture.path(of: try #require((connected.json as? [String: Any])?["webhookURL"] as? String))
            #expect(try await f.get(path + "?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=123").status == 403)
            let echo = try await f.get(path + "?hub.mode=subscribe&hub.verify_token=verify-0005&hub.challenge=8421")
            #expect(echo.status == 200 && echo.text == "8421")

            let inbound = try WebhookTriggerEvent.metaMessages.request(
                instance: number.phoneNumberId, contactPhone: "5511976543210", metaAppSecret: number.appSecret)
            #expect(try await f.post(path, body: inbound.body).status == 401, "unsigned")
            let forged = [(MetaSignature.header, MetaSignature.sign(body: inbound.body, appSecret: "not-the-secret"))]
            #expect(try await f.post(path, body: inbound.body, headers: forged).status == 401)
            let signed = try await f.post(path, body: inbound.body, headers: inbound.headers)
            #expect(signed.status == 200 && signed.json["result"] as? String == "applied", "\(signed.text)")
            #expect(try await f.count("SELECT count(*) AS n FROM messages WHERE provider = 'meta' AND direction = 'inbound'") == 1)

            // The simulator's own signed inbound webhook, through the override URL.
            _ = await f.pairing.simulator.inbound(instance: number.phoneNumberId, from: "5521912345678", text: "Oi")
            try await f.eventually("the simulator's Meta message") {
                try await f.count("SELECT count(*) AS n FROM messages WHERE provider = 'meta'") == 2
            }
        }
    }

    @Test("Z-API: callbacks for every kind reach the listener")
    func zapi() async throws {
        try await ListenerFixture.with(.sqlite) { f in
            _ = await f.pairing.simulator.provisionZAPIInstance(instanceId: "3C4A5B6D7E8F9A", token: "zapi-token-0001", clientToken: "zapi-client-0002")
            let configured = try await f.whatsapp([
                "configure", "--provider", "zapi", "--instance-id", "3C4A5B6D7E8F9A", "--instance-token", "zapi-token-0001",
                "--client-token", "zapi-client-0002", "--base-url", f.pairing.simulatorURL,
            ])
            try #require(configured.status == 0, "\(configured)")
            #expect(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
            #expect(await f.pairing.simulator.scan(instance: "3C4A5B6D7E8F9A", phone: "5531998765432"))
            try await f.eventually("ConnectedCallback") { try await f.pairing.storedConnection()?.status.state == .connected }
            _ = await f.pairing.simulator.inbound(instance: "3C4A5B6D7E8F9A", from: "5511976543210", text: "Bom dia")
            try await f.eventually("ReceivedCallback") {
                try await f.count("SELECT count(*) AS n FROM messages WHERE provider = 'zapi' AND body = 'Bom dia'") == 1
            }
        }
    }
}
