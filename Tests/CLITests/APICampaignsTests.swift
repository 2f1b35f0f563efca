import CRMCore
import CRMSimulator
import CRMStore
import CRMTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The HTTP API's campaigns over loopback, on each database: created from a CSV-like list with
/// variables (`crm campaigns create`'s rules), refused whole when a recipient lacks a variable,
/// listed with filters and cursor pages, dispatched to the listener's campaign worker (every
/// recipient sent once, the funnel says so), paused, resumed and cancelled with 409 for a
/// transition the status does not allow. The role matrix covers who may call each endpoint.
@Suite("HTTP API: campaigns")
struct APICampaignsTests {
    static let text = "Olá {{first_name}}, a oferta chegou em {{cidade|sua cidade}}!"

    /// The digits of recipient `i`, a São Paulo mobile.
    static func digits(_ i: Int) -> String { "55119700\(String(format: "%05d", i))" }

    @Test("POST /api/campaigns with variables, then dispatch: the listener's worker sends every recipient once and the funnel says so",
          arguments: TestDatabaseKind.available)
    func createAndDispatch(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind, connect: true) { f in
            let token = try await f.token("admin@loja.example")
            let loja = try #require(UUID(uuidString: f.units["loja"] ?? ""))
            _ = try await f.outbound.withStore { try await $0.setOptOut(unitId: loja, phone: Self.digits(3), optedOut: true, at: Date()) }
            // 24 people, one of them opted out; an invalid number at index 5 and a repeated one at the end.
            var recipients: [[String: Any]] = (0..<24).map { i in
                [
                    "phone": "+55 11 97000-\(String(format: "%04d", i))",
                    "name": "Cliente \(i) Silva", "variables": ["cidade": i % 2 == 0 ? "Recife" : ""],
                ]
            }
            recipients.insert(["phone": "12345", "name": "Ninguém"], at: 5)
            recipients.append(["phone": Self.digits(1), "name": "Repetido"])
            let created = try await f.request(.POST, "/api/campaigns", json: [
                "name": "Black Friday", "text": Self.text, "recipients": recipients, "rate": "unlimited",
            ], token: token)
            try #require(created.status == 201, "\(created)")
            #expect(created.json["recipients"] as? Int == 23 && created.json["optedOut"] as? Int == 1, "\(created)")
            #expect((created.json["invalid"] as? [[String: Any]])?.compactMap { $0["index"] as? Int } == [5], "\(created)")
            #expect(created.json["duplicates"] as? Int == 1)
            let campaign = try #require(created.json["campaign"] as? [String: Any])
            let id = try #require(campaign["id"] as? String)
            #expect(created.headers["location"] == "/api/campaigns/\(id)")
            #expect(campaign["status"] as? String == "draft" && campaign["unitId"] as? String == f.units["loja"])
            #expect((campaign["pacing"] as? [String: Any])?["rate"] as? String == "unlimited")

            let shown = try await f.request(.GET, "/api/campaigns/\(id)", token: token)
            #expect(shown.status == 200 && shown.json["name"] as? String == "Black Friday", "\(shown)")
            let draftFunnel = try #require(shown.json["funnel"] as? [String: Any])
            #expect(draftFunnel["recipients"] as? Int == 24 && draftFunnel["pending"] as? Int == 23 && draftFunnel["skipped"] as? Int == 1)
            #expect(draftFunnel["optedOutBefore"] as? Int == 1 && draftFunnel["sent"] as? Int == 0)

            let dispatched = try await f.request(.POST, "/api/campaigns/\(id)/dispatch", token: token)
            #expect(dispatched.status == 202 && dispatched.json["status"] as? String == "running", "\(dispatched)")

            var lastSeen = ""
            do {
                try await f.outbound.eventually("the campaign completed and every receipt back", f.listener, seconds: 120, every: .milliseconds(250)) {
                    let reply = try await f.request(.GET, "/api/campaigns/\(id)", token: token)
                    let funnel = reply.json["funnel"] as? [String: Any]
                    lastSeen = "status \(reply.json["status"] ?? "?"), funnel \(funnel ?? [:])"
                    return reply.json["status"] as? String == "completed" && funnel?["delivered"] as? Int == 23
                }
            } catch {
                Issue.record("last seen: \(lastSeen); the simulator accepted \(await f.outbound.pairing.simulator.sentMessages().count) sends")
                throw error
            }
            let sent = await f.outbound.pairing.simulator.sentMessages()
            #expect(sent.count == 23 && Set(sent.map(\.to)).count == 23, "\(sent.count) sends")
            var expected: [String: String] = [:]
            for i in 0..<24 where i != 3 {
                expected[Self.digits(i)] = "Olá Cliente, a oferta chegou em \(i % 2 == 0 ? "Recife" : "sua cidade")!"
            }
            let wrong = sent.filter { expected[$0.to] != $0.text }
            #expect(wrong.isEmpty, "\(wrong.prefix(3))")
            let funnel = try #require(try await f.request(.GET, "/api/campaigns/\(id)", token: token).json["funnel"] as? [String: Any])
            #expect(funnel["sent"] as? Int == 23 && funnel["failed"] as? Int == 0 && funnel["pending"] as? Int == 0, "\(funnel)")
            #expect(funnel["inFlight"] as? Int == 0 && funnel["uncertain"] as? Int == 0 && funnel["deliveredRate"] as? Double == 1)

            // A completed campaign is not dispatched again, nor paused.
            let again = try await f.request(.POST, "/api/campaigns/\(id)/dispatch", token: token)
            #expect(again.status == 409 && again.code == "campaign_state", "\(again)")
            let pause = try await f.request(.POST, "/api/campaigns/\(id)/pause", token: token)
            #expect(pause.status == 409 && (pause.json["error"] as? [String: Any])?["message"] as? String
                == "Campaign \(id) is completed: only a running or draft campaign can be paused.", "\(pause)")
            #expect(await f.outbound.pairing.simulator.sentMessages().count == 23)
        }
    }

    @Test("refused campaigns store nothing: a missing variable (422, first recipients named), invalid numbers with strict, bad pacing, bad shapes",
          arguments: TestDatabaseKind.available)
    func validation(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind) { f in
            let token = try await f.token("admin@loja.example")
            let recipients: [[String: Any]] = (0..<8).map { i in
                ["phone": Self.digits(i), "variables": i % 3 == 0 ? ["loja": "Centro"] : [:]]
            }
            let missing = try await f.request(.POST, "/api/campaigns", json: [
                "name": "Aviso", "text": "Oi, passe na loja {{loja}}!", "recipients": recipients,
            ], token: token)
            #expect(missing.status == 422 && missing.code == "invalid_campaign", "\(missing)")
            let message = try #require((missing.json["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("5 recipient(s)") && message.contains("recipients[1] has no {{loja}}"), "\(message)")
            #expect(message.contains("Nothing was created"))
            #expect(!message.contains(Self.digits(1)), "no full phone number in an error")

            let strict = try await f.request(.POST, "/api/campaigns", json: [
                "name": "Aviso", "text": "Oi", "recipients": [["phone": Self.digits(0)], ["phone": "não tenho"]], "strict": true,
            ], token: token)
            #expect(strict.status == 422 && strict.code == "invalid_phone", "\(strict)")
            #expect(((strict.json["error"] as? [String: Any])?["message"] as? String)?.contains("recipients[1]") == true, "\(strict)")

            let badRate = try await f.request(.POST, "/api/campaigns", json: [
                "name": "Aviso", "text": "Oi", "recipients": [["phone": Self.digits(0)]], "rate": "depressa",
            ], token: token)
            #expect(badRate.status == 422 && badRate.code == "invalid_campaign", "\(badRate)")
            let batch = try await f.request(.POST, "/api/campaigns", json: [
                "name": "Aviso", "text": "Oi", "recipients": [["phone": Self.digits(0)]], "batchSize": 10,
            ], token: token)
            #expect(batch.status == 422 && ((batch.json["error"] as? [String: Any])?["message"] as? String)?.contains("batchPause") == true,
                    "\(batch)")
            let both = try await f.request(.POST, "/api/campaigns", json: [
                "name": "Aviso", "text": "Oi", "recipients": [["phone": Self.digits(0)]], "allContacts": true,
            ], token: token)
            #expect(both.status == 400 && both.code == "invalid_request", "\(both)")
            let noText = try await f.request(.POST, "/api/campaigns", json: ["name": "Aviso", "allContacts": true], token: token)
            #expect(noText.status == 400 && noText.code == "invalid_request", "\(noText)")
            let blank = try await f.request(.POST, "/api/campaigns", json: ["name": "Aviso", "text": " \n", "allContacts": true], token: token)
            #expect(blank.status == 422 && blank.code == "invalid_campaign", "\(blank)")
            let nobody = try await f.request(.POST, "/api/campaigns", json: ["name": "Aviso", "text": "Oi", "allContacts": true], token: token)
            #expect(nobody.status == 422 && ((nobody.json["error"] as? [String: Any])?["message"] as? String)?
                .contains("has no contact with a phone number") == true, "\(nobody)")

            #expect(try await f.outbound.count("SELECT count(*) AS n FROM campaigns") == 0)
            #expect(try await f.outbound.count("SELECT count(*) AS n FROM campaign_recipients") == 0)
            #expect(try await f.outbound.count("SELECT count(*) AS n FROM contacts") == 0)

            // With defaults for everyone it goes through; every contact of the unit is then a recipient list of its own.
            let fine = try await f.request(.POST, "/api/campaigns", json: [
                "name": "Aviso", "text": "Oi, passe na loja {{loja|do bairro}}!", "recipients": recipients, "window": "09:00-18:00",
            ], token: token)
            #expect(fine.status == 201 && fine.json["recipients"] as? Int == 8 && fine.json["contactsCreated"] as? Int == 8, "\(fine)")
            let everyone = try await f.request(.POST, "/api/campaigns", json: ["name": "Todos", "text": "Oi {{name|você}}", "allContacts": true],
                                               token: token)
            #expect(everyone.status == 201 && everyone.json["recipients"] as? Int == 8, "\(everyone)")
            let pacing = (everyone.json["campaign"] as? [String: Any])?["pacing"] as? [String: Any]
            #expect(pacing?["rate"] as? String == "20/min" && pacing?["batchSize"] as? Int == 100, "the provider's safe defaults: \(String(describing: pacing))")
        }
    }

    @Test("GET /api/campaigns: filters by unit and status, cursor pages; pause, resume, cancel with 409 for the transitions refused",
          arguments: TestDatabaseKind.available)
    func listAndTransitions(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind) { f in
            let root = try await f.token("root@example.com")
            let admin = try await f.token("admin@loja.example")
            var ids: [String: [String]] = [:]
            for (slug, count) in [("loja", 5), ("outra", 2)] {
                for i in 0..<count {
                    let reply = try await f.request(.POST, "/api/campaigns", json: [
                        "unitId": f.units[slug]!, "name": "\(slug) \(i)", "text": "Oi", "recipients": [["phone": Self.digits(i)]],
                    ], token: root)
                    try #require(reply.status == 201, "\(reply)")
                    ids[slug, default: []].append(try #require((reply.json["campaign"] as? [String: Any])?["id"] as? String))
                }
            }
            // The unit admin pages through its own unit's, two at a time, newest first, each once.
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/api/campaigns?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await f.request(.GET, path, token: admin)
                try #require(page.status == 200, "\(page)")
                let items = try #require(page.json["campaigns"] as? [[String: Any]])
                #expect(items.count <= 2 && items.allSatisfy { $0["funnel"] is [String: Any] })
                seen += items.compactMap { $0["id"] as? String }
                cursor = page.json["nextCursor"] as? String
            } while cursor != nil && seen.count < 20
            #expect(seen == ids["loja"]!.reversed(), "\(seen)")
            let all = try await f.request(.GET, "/api/campaigns", token: root)
            #expect((all.json["campaigns"] as? [[String: Any]])?.count == 7 && all.json["nextCursor"] is NSNull, "\(all)")
            let outra = try await f.request(.GET, "/api/campaigns?unitId=\(f.units["outra"]!)", token: root)
            #expect((outra.json["campaigns"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ids["outra"]!.reversed())
            #expect(try await f.request(.GET, "/api/campaigns?unitId=\(f.units["outra"]!)", token: admin).status == 404)
            #expect(try await f.request(.GET, "/api/campaigns?status=sideways", token: admin).code == "invalid_request")
            #expect(try await f.request(.GET, "/api/campaigns?cursor=nonsense", token: admin).code == "invalid_request")

            // Transitions, on "outra" (not connected: a running campaign waits there, nothing is sent).
            let id = ids["outra"]![0]
            func post(_ action: String) async throws -> APIFixture.Reply {
                try await f.request(.POST, "/api/campaigns/\(id)/\(action)", token: root)
            }
            func refusal(_ reply: APIFixture.Reply) -> String { ((reply.json["error"] as? [String: Any])?["message"] as? String) ?? "\(reply)" }
            #expect(try await post("resume").status == 409)
            let paused = try await post("pause")
            #expect(paused.status == 200 && paused.json["status"] as? String == "paused", "\(paused)")
            let pausedAgain = try await post("pause")
            #expect(pausedAgain.status == 409 && pausedAgain.code == "campaign_state")
            #expect(refusal(pausedAgain) == "Campaign \(id) is paused: only a running or draft campaign can be paused.")
            let resumed = try await post("resume")
            #expect(resumed.status == 200 && resumed.json["status"] as? String == "running" && resumed.json["startedAt"] is String, "\(resumed)")
            #expect(refusal(try await post("resume")) == "Campaign \(id) is running: only a paused campaign can be resumed.")
            let notConnected = try await post("dispatch")
            #expect(notConnected.status == 409 && notConnected.code == "unit_not_connected", "\(notConnected)")
            let filtered = try await f.request(.GET, "/api/campaigns?status=running", token: root)
            #expect((filtered.json["campaigns"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id], "\(filtered)")
            let cancelled = try await post("cancel")
            #expect(cancelled.status == 200 && cancelled.json["status"] as? String == "cancelled", "\(cancelled)")
            #expect((cancelled.json["funnel"] as? [String: Any])?["skipped"] as? Int == 1)
            #expect(refusal(try await post("cancel")) == "Campaign \(id) is cancelled: only a draft, running or paused campaign can be cancelled.")
            #expect(try await post("resume").status == 409)
            let dispatch = try await post("dispatch")
            #expect(dispatch.status == 409 && refusal(dispatch) == "Campaign \(id) was cancelled: it cannot be sent.", "\(dispatch)")
            // The CLI sees the same state.
            let shown = try await f.crm("campaigns", "show", id, "--json")
            #expect(shown.status == 0 && (shown.json as? [String: Any])?["status"] as? String == "cancelled", "\(shown)")
            #expect(await f.outbound.pairing.simulator.sentMessages().isEmpty)
        }
    }

    @Test("an agent manages no campaign: 403 in its own unit, 404 for another unit's, unknown ids 404",
          arguments: TestDatabaseKind.available)
    func agents(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind) { f in
            let root = try await f.token("root@example.com")
            let agent = try await f.token("agent@loja.example")
            var ids: [String: String] = [:]
            for slug in ["loja", "outra"] {
                let reply = try await f.request(.POST, "/api/campaigns", json: [
                    "unitId": f.units[slug]!, "name": "Segredo", "text": "Oi", "recipients": [["phone": Self.digits(1)]],
                ], token: root)
                ids[slug] = try #require((reply.json["campaign"] as? [String: Any])?["id"] as? String, "\(reply)")
            }
            #expect(try await f.request(.GET, "/api/campaigns", token: agent).status == 403)
            let create = try await f.request(.POST, "/api/campaigns", json: ["name": "X", "text": "Oi", "recipients": [["phone": Self.digits(2)]]],
                                             token: agent)
            #expect(create.status == 403 && create.code == "forbidden", "\(create)")
            for action in ["", "/dispatch", "/pause", "/resume", "/cancel"] {
                let method: HTTPMethod = action.isEmpty ? .GET : .POST
                let own = try await f.request(method, "/api/campaigns/\(ids["loja"]!)\(action)", token: agent)
                #expect(own.status == 403, "\(action): \(own)")
                let other = try await f.request(method, "/api/campaigns/\(ids["outra"]!)\(action)", token: agent)
                #expect(other.status == 404 && other.code == "not_found" && !other.text.contains(ids["outra"]!), "\(action): \(other)")
                let unknown = try await f.request(method, "/api/campaigns/\(UUID().uuidString)\(action)", token: root)
                #expect(unknown.status == 404, "\(action): \(unknown)")
            }
            #expect(try await f.request(.GET, "/api/campaigns/not-an-id", token: root).status == 404)
            #expect(try await f.request(.GET, "/api/campaigns").status == 401)
            #expect(try await f.outbound.count("SELECT count(*) AS n FROM campaigns WHERE status = 'draft'") == 2)
        }
    }
}
