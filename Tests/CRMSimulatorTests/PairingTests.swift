import CRMCore
import CRMProviders
@testable import CRMSimulator
import Foundation
import NIOHTTP1
import Testing

/// Create, QR, rotation, scan, state and logout, checked through real HTTP and crm's own parser.
@Suite struct PairingTests {
    @Test func createPostsTheQRThatConnectReturns() async throws {
        try await SimulatorHarness.with { h in
            let created = try await h.createInstance("unit-acme")
            #expect(created.status == 201)
            #expect((created.json["hash"] as? String)?.isEmpty == false)
            let qr = created.json["qrcode"] as? [String: Any]
            #expect(qr?["count"] as? Int == 1)
            #expect(EvolutionFixture.extraKeys(created.json, comparedTo: try EvolutionFixture.json("api/instance-create.response.json")) == [])

            let webhooks = try await h.collector.waitFor("qrcode.updated")
            let events = try SimulatorHarness.parse(try #require(webhooks.first))
            guard case .qrUpdated(let update)? = events.first else { Issue.record("not a QR: \(events)"); return }
            #expect(update.instance == "unit-acme")

            let connect = try await h.call(.GET, "/instance/connect/unit-acme")
            #expect(connect.status == 200)
            let code = try #require(connect.json["code"] as? String)
            #expect(update.qr == code)
            #expect(code.hasPrefix("2@") && code.split(separator: ",").count == 4 && code.count > 200)
            #expect(qr?["code"] as? String == code)
            try #require(!webhooks.isEmpty)
            let body = try JSONSerialization.jsonObject(with: webhooks[0].body)
            #expect(EvolutionFixture.extraKeys(body, comparedTo: try EvolutionFixture.json("webhooks/qrcode-updated.json")) == [])
        }
    }

    @Test func rotateChangesCodeAndCount() async throws {
        try await SimulatorHarness.with { h in
            try await h.createInstance("unit-acme")
            let first = try await h.call(.GET, "/instance/connect/unit-acme").json
            let rotated = try await h.call(.POST, "/_simulator/instances/unit-acme/rotate")
            #expect(rotated.status == 200)
            let second = try await h.call(.GET, "/instance/connect/unit-acme").json
            #expect(first["code"] as? String != second["code"] as? String)
            #expect(second["count"] as? Int == 2)
            // A slow machine may also see the simulator's own rotation timer: some qrcode.updated
            // after the first must carry the code that connect now returns.
            var codes: [String] = []
            let deadline = ContinuousClock.now + .seconds(30)
            repeat {
                let webhooks = try await h.collector.waitFor("qrcode.updated", count: codes.count + 1, timeout: .seconds(2))
                codes = try webhooks.flatMap(SimulatorHarness.parse).compactMap { event -> String? in
                    if case .qrUpdated(let update) = event { update.qr } else { nil }
                }
            } while !codes.dropFirst().contains(second["code"] as? String ?? "-") && ContinuousClock.now < deadline
            #expect(codes.count >= 2)
            #expect(codes.dropFirst().contains(second["code"] as? String ?? "-"), "\(codes.count) codes")
        }
    }

    @Test func scanConnectsWithThePhone() async throws {
        try await SimulatorHarness.with { h in
            try await h.createInstance("unit-acme")
            #expect(try await h.call(.GET, "/instance/connectionState/unit-acme").json["instance"] as? [String: String]
                == ["instanceName": "unit-acme", "state": "connecting"])
            let scan = try await h.call(.POST, "/_simulator/instances/unit-acme/scan", json: ["phone": "5511988887777"])
            #expect(scan.status == 200)

            // Until the open arrives: a slow machine may see a QR rotation's update before the scan's.
            var webhooks: [WebhookCollector.Received] = []
            var changes: [ConnectionChange] = []
            let deadline = ContinuousClock.now + .seconds(30)
            repeat {
                webhooks = try await h.collector.waitFor("connection.update", count: webhooks.count + 1, timeout: .seconds(2))
                changes = try webhooks.flatMap(SimulatorHarness.parse).compactMap { event -> ConnectionChange? in
                    if case .connectionChanged(let change) = event { change } else { nil }
                }
            } while changes.last?.state != .connected && ContinuousClock.now < deadline
            #expect(changes.suffix(2).map(\.state) == [.connecting, .connected])
            #expect(changes.last?.phone == "5511988887777")
            #expect(changes.last?.reason == .scanCompleted)
            let open = try JSONSerialization.jsonObject(with: try #require(webhooks.last).body)
            #expect(EvolutionFixture.extraKeys(open, comparedTo: try EvolutionFixture.json("webhooks/connection-update-open.json")) == [])

            let state = try await h.call(.GET, "/instance/connectionState/unit-acme")
            #expect(state.json["instance"] as? [String: String] == ["instanceName": "unit-acme", "state": "open"])
            let connect = try await h.call(.GET, "/instance/connect/unit-acme")
            #expect(connect.json["instance"] as? [String: String] == ["instanceName": "unit-acme", "state": "open"])
            let listed = try await h.call(.GET, "/instance/fetchInstances")
            #expect(listed.array.first?["ownerJid"] as? String == "5511988887777@s.whatsapp.net")
        }
    }

    @Test func logoutClosesWith401() async throws {
        try await SimulatorHarness.with { h in
            try await h.connectedInstance("unit-acme")
            let logout = try await h.call(.DELETE, "/instance/logout/unit-acme")
            #expect(logout.status == 200)
            #expect(logout.json["status"] as? String == "SUCCESS")
            // The close, whatever QR rotations a slow machine saw before it.
            var close: ConnectionChange?
            let deadline = ContinuousClock.now + .seconds(60)
            while close == nil && ContinuousClock.now < deadline {
                let updates = try await h.collector.waitFor("connection.update", count: 1)
                close = try updates.flatMap(SimulatorHarness.parse).lazy.compactMap { event -> ConnectionChange? in
                    if case .connectionChanged(let change) = event, change.state == .disconnected { change } else { nil }
                }.first
                if close == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            let change = try #require(close, "no close")
            #expect(change.reason == .loggedOut && change.code == 401)
            #expect(try await h.collector.waitFor("logout.instance").count == 1)
            let again = try await h.call(.DELETE, "/instance/logout/unit-acme")
            #expect(again.status == 400)
            let deleted = try await h.call(.DELETE, "/instance/delete/unit-acme")
            #expect(deleted.json["response"] as? [String: String] == ["message": "Instance deleted"])
            #expect(try await h.call(.GET, "/instance/connectionState/unit-acme").status == 404)
        }
    }

    @Test func byEventsPostsToEventPaths() async throws {
        try await SimulatorHarness.with { h in
            try await h.createInstance("unit-acme", byEvents: true)
            let webhooks = try await h.collector.waitFor("qrcode.updated")
            #expect(webhooks.first?.path == "/hook/qrcode-updated")
            guard case .qrUpdated? = try SimulatorHarness.parse(try #require(webhooks.first)).first else {
                Issue.record("not parsed as a QR"); return
            }
        }
    }
}
