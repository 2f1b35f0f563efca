import CRMSimulator
import CRMTestSupport
import Foundation
import NIOHTTP1
import Testing

/// `GET /events` end to end: the built listener, the simulator's contact writing, the events a
/// subscriber of each unit receives, resuming with Last-Event-ID, and (PostgreSQL) an event made
/// by one listener process reaching a subscriber of another.
@Suite("HTTP API: live events (SSE)")
struct APIEventsTests {
    static let contact = "5511976543210"

    @Test("a unit's agent gets the reply and the receipts of its sends; another unit's agent gets nothing of them",
          arguments: TestDatabaseKind.available)
    func scoped(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind, connect: true) { f in
            let loja = try #require(f.units["loja"])
            let unauthenticated = EventStreamClient.open(f.listener.baseURL + "/events", token: nil)
            #expect(try await unauthenticated.waitForStatus() == 401)
            unauthenticated.close()

            let mine = EventStreamClient.open(f.listener.baseURL + "/events", token: try await f.token("agent@loja.example"))
            let theirs = EventStreamClient.open(f.listener.baseURL + "/events", token: try await f.token("agent@outra.example"), inQuery: true)
            let root = EventStreamClient.open(f.listener.baseURL + "/events", token: try await f.token("root@example.com"))
            defer { [mine, theirs, root].forEach { $0.close() } }
            for stream in [mine, theirs, root] { #expect(try await stream.waitForStatus() == 200) }

            _ = try #require(await f.outbound.pairing.simulator.inbound(instance: "crm-loja", from: Self.contact, text: "Oi, tudo bem?"))
            let reply = try #require(try await mine.first { $0.type == "message.created" && $0.data["direction"] == "inbound" },
                                     "\(mine.received)")
            #expect(reply.data["unitId"] == loja && reply.data["status"] == "received" && reply.id != nil)
            #expect(reply.data["body"] == nil && !reply.data.values.contains { $0.contains(Self.contact) }, "no text, no phone")
            #expect(try await root.first { $0.data["id"] == reply.data["id"] } != nil, "a super admin sees every unit")

            let queued = try #require(try await f.request(.POST, "/messages", json: ["phone": Self.contact, "message": "Tudo ótimo!"],
                                                          token: try await f.token("agent@loja.example")).json["id"] as? String)
            let read = try await mine.first { $0.data["id"] == queued && $0.data["status"] == "read" }
            #expect(read != nil, "the receipts arrive as message.status: \(mine.received.map { "\($0.type) \($0.data["status"] ?? "")" })")
            #expect(theirs.received.isEmpty, "another unit's agent: \(theirs.received.map(\.type))")
        }
    }

    @Test("a client that reconnects with Last-Event-ID gets what happened while it was away")
    func resume() async throws {
        try await APIFixture.with(.sqlite, connect: true) { f in
            let token = try await f.token("admin@loja.example")
            let first = EventStreamClient.open(f.listener.baseURL + "/events", token: token)
            // Subscribed (its starting point fixed) once the status line is in: only then the message.
            #expect(try await first.waitForStatus() == 200)
            _ = try #require(await f.outbound.pairing.simulator.inbound(instance: "crm-loja", from: Self.contact, text: "primeira"))
            let seen = try #require(try await first.first { $0.type == "message.created" })
            first.close()

            _ = try #require(await f.outbound.pairing.simulator.inbound(instance: "crm-loja", from: "5511976540000", text: "segunda"))
            try await f.outbound.eventually("the second message", f.listener) {
                try await f.outbound.count("SELECT count(*) AS n FROM messages WHERE direction = 'inbound'") == 2
            }
            let again = EventStreamClient.open(f.listener.baseURL + "/events", token: token, lastEventId: seen.id)
            defer { again.close() }
            let missed = try await again.first { $0.type == "message.created" && $0.data["id"] != seen.data["id"] }
            #expect(missed != nil, "\(again.received.map(\.type))")

            let fresh = EventStreamClient.open(f.listener.baseURL + "/events", token: token)
            defer { fresh.close() }
            #expect(try await fresh.waitForStatus() == 200)
            try await Task.sleep(for: .seconds(2))
            #expect(!fresh.received.contains { $0.type == "message.created" }, "without Last-Event-ID only what comes next")
        }
    }

    @Test("PostgreSQL: what one listener and a crm command store reaches a subscriber of another listener at once (NOTIFY)",
          .enabled(if: TestDatabases.postgresServerURL != nil, "needs CRM_TEST_POSTGRES_URL (CI sets it)"))
    func acrossListeners() async throws {
        try await APIFixture.with(.postgres, connect: true) { f in
            var environment = f.base.cli.environment
            environment.merge(f.outbound.pairing.environment) { _, new in new }
            environment["JWT_ACCESS_SECRET"] = APIFixture.secret
            // Polling once an hour: only a notice can bring these events within the test.
            let second = try await ListenerProcess.start(
                databaseURL: f.base.databaseURL, environment: environment,
                extraArguments: ["--enable-api", "--no-worker", "--db-pool-size", "2", "--events-poll-interval", "1h"])
            let stream = EventStreamClient.open(second.baseURL + "/events", token: try await f.token("agent@loja.example"))
            #expect(try await stream.waitForStatus() == 200)
            _ = try #require(await f.outbound.pairing.simulator.inbound(instance: "crm-loja", from: Self.contact, text: "Olá"))
            let event = try await stream.first { $0.type == "message.created" }
            #expect(event?.data["unitId"] == f.units["loja"], "\(stream.received)")

            // A command's write: its notice goes out before the command closes its connection.
            let sent = try await f.crm("send", "--unit", "loja", "--to", Self.contact, "--text", "Até já", "--queue", "--json")
            #expect(sent.status == 0, "\(sent.stderr)")
            let id = try #require((sent.json as? [String: Any])?["id"] as? String, "\(sent.stdout)")
            let queued = try await stream.first { $0.type == "message.created" && $0.data["id"] == id }
            #expect(queued?.data["direction"] == "outbound", "\(stream.received.map(\.type))")
            stream.close()
            #expect(await second.stop() == 0)
        }
    }
}
