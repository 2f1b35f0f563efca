import CRMSimulator
import Foundation
import NIOHTTP1
import NIOCore
import Testing

/// Evolution's error bodies, and the faults tests can order.
@Suite struct ErrorAndFaultTests {
    private func same(_ reply: SimulatorHarness.Reply, _ fixture: String) throws -> Bool {
        let ours = try JSONSerialization.jsonObject(with: reply.body) as? NSDictionary
        let theirs = try EvolutionFixture.json("api/\(fixture)") as? NSDictionary
        return ours != nil && ours == theirs
    }

    @Test func errorsHaveEvolutionsShapes() async throws {
        try await SimulatorHarness.with { h in
            let wrongKey = try await h.call(.GET, "/instance/fetchInstances", apiKey: "nope")
            #expect(wrongKey.status == 401)
            #expect(try same(wrongKey, "error-401.json"))
            #expect(try await h.call(.GET, "/instance/fetchInstances", apiKey: nil).status == 401)

            let ghost = try await h.call(.GET, "/instance/connect/unit-ghost")
            #expect(ghost.status == 404)
            #expect(try same(ghost, "error-404-instance-not-found.json"))

            let route = try await h.call(.GET, "/instance/conect/unit-acme")
            #expect(route.status == 404)
            #expect(try same(route, "error-404-route.json"))

            #expect(try await h.createInstance("unit-acme").status == 201)
            let dup = try await h.createInstance("unit-acme")
            #expect(dup.status == 403)
            #expect(try same(dup, "error-403-name-in-use.json"))

            let bad = try await h.call(.POST, "/instance/create", json: ["instanceName": "x", "integration": "NOPE"])
            #expect(bad.status == 400)
            #expect(try same(bad, "error-400-invalid-integration.json"))
            #expect(try await h.call(.POST, "/instance/create", json: ["integration": "WHATSAPP-BAILEYS"]).status == 400)
        }
    }

    @Test func instanceTokenOpensOnlyItsInstance() async throws {
        try await SimulatorHarness.with { h in
            let token = try #require(try await h.createInstance("unit-acme").json["hash"] as? String)
            try await h.createInstance("unit-other")
            #expect(try await h.call(.GET, "/instance/connectionState/unit-acme", apiKey: token).status == 200)
            #expect(try await h.call(.GET, "/instance/connectionState/unit-other", apiKey: token).status == 401)
            #expect(try await h.call(.POST, "/instance/create", json: ["instanceName": "x"], apiKey: token).status == 401)
            #expect(try await h.call(.GET, "/instance/fetchInstances", apiKey: token).array.count == 1)
        }
    }

    @Test func statusFaultsFailTheNextCallsThenClear() async throws {
        try await SimulatorHarness.with { h in
            #expect(try await h.call(.POST, "/_simulator/faults", json: ["status": 500, "count": 2]).status == 200)
            let first = try await h.call(.GET, "/instance/fetchInstances")
            let second = try await h.call(.GET, "/instance/fetchInstances")
            let third = try await h.call(.GET, "/instance/fetchInstances")
            #expect([first.status, second.status, third.status] == [500, 500, 200] as [Int])
            #expect(first.json["error"] as? String == "Internal Server Error")
        }
    }

    @Test func htmlFaultAnswersAPage() async throws {
        try await SimulatorHarness.with { h in
            _ = try await h.call(.POST, "/_simulator/faults", json: ["html": true, "count": 1])
            let page = try await h.call(.GET, "/instance/fetchInstances")
            #expect(page.status == 502)
            #expect(page.text.hasPrefix("<html>"))
            #expect(try await h.call(.GET, "/instance/fetchInstances").status == 200)
        }
    }

    @Test func delayFaultOutlastsAShortTimeout() async throws {
        try await SimulatorHarness.with { h in
            _ = try await h.call(.POST, "/_simulator/faults", json: ["delayMs": 800, "count": 1])
            await #expect(throws: (any Error).self) {
                _ = try await h.call(.GET, "/instance/fetchInstances", timeout: .milliseconds(200))
            }
            #expect(try await h.call(.GET, "/instance/fetchInstances").status == 200)
        }
    }

    @Test func stopIsNotHeldUpByALongDelayFault() async throws {
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            try await SimulatorHarness.with { h in
                _ = try await h.call(.POST, "/_simulator/faults", json: ["delayMs": 600_000, "count": 1])
                await #expect(throws: (any Error).self) {
                    _ = try await h.call(.GET, "/instance/fetchInstances", timeout: .milliseconds(100))
                }
            }
        }
        // Held up by the fault, stopping would take its 10 minutes; the bound leaves a loaded CI
        // machine (every suite at once on 2 cores) all the room it needs.
        #expect(elapsed < .seconds(120))
    }

    @Test func aTakenPortIsReportedNotHung() async throws {
        try await SimulatorHarness.with { h in
            let port = try #require(await h.simulator.port)
            let second = EvolutionSimulator(configuration: .init(port: port, apiKey: "k"), logger: SimulatorHarness.quietLogger)
            await #expect(throws: EvolutionSimulator.StartError.self) { try await second.start() }
            await #expect(throws: EvolutionSimulator.StartError.self) { try await h.simulator.start() }
        }
    }

    @Test func anUnreachableWebhookDoesNotBreakTheSimulator() async throws {
        try await SimulatorHarness.with { h in
            let created = try await h.call(.POST, "/instance/create", json: [
                "instanceName": "unit-acme", "integration": "WHATSAPP-BAILEYS",
                "webhook": ["url": "http://127.0.0.1:1/nowhere", "enabled": true],
            ])
            #expect(created.status == 201)
            _ = try await h.call(.POST, "/_simulator/instances/unit-acme/scan")
            let sent = try await h.call(.POST, "/message/sendText/unit-acme", json: ["number": "5511999990001", "text": "x"])
            #expect(sent.status == 201)
        }
    }
}
