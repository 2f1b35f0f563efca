import CRMCore
import CRMProviders
@testable import CRMSimulator
import Foundation
import HTTPTypes
import NIOHTTP1
import Testing

/// Timers (auto-pair, QR rotation), live settings, webhook configuration and delivery retries.
@Suite struct SettingsAndDeliveryTests {
    @Test func autoPairAndRotationTimers() async throws {
        // Pairing after 10 s leaves room for dozens of 0.1 s rotations: a CI run at load 20 saw only
        // one rotation in 2 s, a local run at load 20 one in 5 s.
        try await SimulatorHarness.with(settings: SimulatorSettings(autoPairAfterSeconds: 10, qrRotationSeconds: 0.1)) { h in
            try await h.createInstance("unit-acme")
            let qrs = try await h.collector.waitFor("qrcode.updated", count: 3)
            #expect(qrs.count >= 3)
            let open = try await h.collector.waitFor("connection.update", count: 2)
            #expect(open.count == 2)
            let state = try await h.call(.GET, "/instance/connectionState/unit-acme")
            #expect((state.json["instance"] as? [String: String])?["state"] == "open")
            // Paired: rotation stopped.
            let settled = await h.collector.received.filter { $0.event == "qrcode.updated" }.count
            try await Task.sleep(for: .milliseconds(250))
            #expect(await h.collector.received.filter { $0.event == "qrcode.updated" }.count == settled)
        }
    }

    @Test func settingsChangeLive() async throws {
        try await SimulatorHarness.with { h in
            let changed = try await h.call(.POST, "/_simulator/settings", json: ["ackDelayMs": 5, "numbersNotOnWhatsApp": ["+55 11 99999-0009"]])
            #expect(changed.status == 200)
            #expect(changed.json["ackDelayMs"] as? Int == 5)
            #expect(changed.json["numbersNotOnWhatsApp"] as? [String] == ["5511999990009"])
            let read = try await h.call(.GET, "/_simulator/settings")
            #expect(read.json["ackDelayMs"] as? Int == 5)
            #expect(try await h.call(.POST, "/_simulator/faults", json: ["nonsense": 1]).status == 400)
        }
    }

    @Test func webhookSetRedirectsEvents() async throws {
        try await SimulatorHarness.with { h in
            _ = try await h.call(.POST, "/instance/create", json: ["instanceName": "unit-acme", "integration": "WHATSAPP-BAILEYS"])
            let url = await h.collector.url
            let set = try await h.call(.POST, "/webhook/set/unit-acme", json: [
                "webhook": ["enabled": true, "url": url, "byEvents": false, "base64": false, "events": ["CONNECTION_UPDATE"]],
            ])
            #expect(set.status == 201)
            #expect(set.json["url"] as? String == url)
            #expect(EvolutionFixture.extraKeys(set.json, comparedTo: try EvolutionFixture.json("api/webhook-set.response.json")) == [])
            _ = try await h.call(.POST, "/_simulator/instances/unit-acme/rotate")
            _ = try await h.call(.POST, "/_simulator/instances/unit-acme/scan")
            #expect(try await h.collector.waitFor("connection.update", count: 2).count == 2)
            // QRCODE_UPDATED is not subscribed.
            #expect(await h.collector.received.allSatisfy { $0.event == "connection.update" })
        }
    }

    @Test func failedDeliveriesAreRetried() async throws {
        try await SimulatorHarness.with(webhookRetry: WebhookRetryPolicy(maxAttempts: 3, firstBackoffMs: 20, timeoutMs: 15_000)) { h in
            await h.collector.setAnswerStatus(.internalServerError)
            try await h.createInstance("unit-acme")
            // 3 attempts, 20 ms then 40 ms apart.
            #expect(try await h.collector.waitFor("qrcode.updated", count: 3).count == 3)
            try await Task.sleep(for: .milliseconds(150))
            #expect(await h.collector.received.count == 3)
        }
    }

    @Test func refusedDeliveriesAreNotRetried() async throws {
        try await SimulatorHarness.with { h in
            await h.collector.setAnswerStatus(.unauthorized)
            try await h.createInstance("unit-acme")
            _ = try await h.collector.waitFor("qrcode.updated")
            try await Task.sleep(for: .milliseconds(100))
            #expect(await h.collector.received.count == 1)
        }
    }

    @Test func closeFromThePhoneAndReconnect() async throws {
        try await SimulatorHarness.with { h in
            try await h.connectedInstance("unit-acme")
            let closed = try await h.call(.POST, "/_simulator/instances/unit-acme/close", json: ["statusReason": 428])
            #expect(closed.status == 200)
            let updates = try await h.collector.waitFor("connection.update", count: 3)
            try #require(updates.count >= 3)
            guard case .connectionChanged(let change)? = try SimulatorHarness.parse(updates[2]).first else {
                Issue.record("no close"); return
            }
            #expect(change.state == .disconnected && change.reason == .disconnected && change.code == 428)
            let connect = try await h.call(.GET, "/instance/connect/unit-acme")
            #expect(connect.json["count"] as? Int == 1 && (connect.json["code"] as? String)?.hasPrefix("2@") == true)
            #expect(try await h.collector.waitFor("qrcode.updated", count: 2).count == 2)
        }
    }

    @Test func programmaticControl() async throws {
        try await SimulatorHarness.with { h in
            try await h.createInstance("unit-acme")
            #expect(await h.simulator.scan(instance: "unit-acme", phone: "5511977776666"))
            let id = try #require(await h.simulator.inbound(instance: "unit-acme", from: "5511999990001", text: "oi"))
            let upserts = try await h.collector.waitFor("messages.upsert")
            guard case .inboundMessage(let message)? = try SimulatorHarness.parse(try #require(upserts.first)).first else {
                Issue.record("no message"); return
            }
            #expect(message.externalId == id && message.text == "oi")
            await h.simulator.injectFault(.status(503))
            #expect(try await h.call(.GET, "/instance/fetchInstances").status == 503)
            #expect(await h.simulator.sentMessages().isEmpty)
        }
    }
}
