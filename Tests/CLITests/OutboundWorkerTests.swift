import CRMCore
import CRMSimulator
import CRMStore
import CRMTestSupport
import Foundation
import Testing

/// The listener's outbound worker end to end: the built `crm`, the Evolution simulator, real
/// databases. What `crm send --queue` stores, the listener sends, once, with `crm send`'s rules.
@Suite("Outbound worker (end to end)")
struct OutboundWorkerTests {
    static let contact = OutboundFixture.contact
    static let delivered: Set<String> = ["sent", "delivered", "read"]
    static let sentSeries = #"crm_outbound_sends_total{provider="evolution",result="sent"}"#

    @Test("crm send --queue, then the listener sends it and the receipts make it read", arguments: TestDatabaseKind.available)
    func queuedThenRead(kind: TestDatabaseKind) async throws {
        try await OutboundFixture.with(kind) { f in
            try await f.withListener { listener in
                try await f.connect(webhooksTo: listener)
                let id = try await f.queue("Seu pedido saiu.")
                var shown: [String: Any] = [:]
                try await f.eventually("read", listener) {
                    shown = try await f.show(id)
                    return shown["status"] as? String == "read"
                }
                for stamp in ["queuedAt", "sentAt", "deliveredAt", "readAt"] { #expect(shown[stamp] is String, "\(stamp): \(shown)") }
                #expect(shown["retryCount"] as? Int == 1)
                let sent = await f.pairing.simulator.sentMessages()
                #expect(sent.count == 1 && sent.first?.to == Self.contact && sent.first?.text == "Seu pedido saiu.")
                #expect(shown["externalId"] as? String == sent.first?.externalId)
                #expect(try await f.count("SELECT count(*) AS n FROM messages") == 1, "the send.message echo is the same message")
                #expect(OutboundFixture.value(Self.sentSeries, in: try await f.metrics(listener)) == 1)
            }
        }
    }

    @Test("a message a crashed crm send left queued is sent once its lease expires; a live lease is left alone",
          arguments: TestDatabaseKind.available)
    func crashedSend(kind: TestDatabaseKind) async throws {
        try await OutboundFixture.with(kind) { f in
            // Paired through a listener without the worker, so nothing is claimed before the leases are set.
            try await f.withListener(["--no-worker"]) { listener in try await f.connect(webhooksTo: listener) }
            let (crashed, held) = try await f.withStore { store in
                let unit = try #require(try await store.unit(slug: "loja"))
                var ids: [UUID] = []
                for text in ["Depois da queda", "Ainda enviando"] {
                    let request = OutboundRequest(
                        unitId: unit.id, provider: .evolution, phone: Self.contact, body: text, clientMessageId: text, queuedAt: Date())
                    guard case .created(let message) = try await store.enqueueOutbound(request) else { throw CRMError.conflict(text) }
                    ids.append(message.id)
                }
                // The crashed process's lease ran out; the other one's still holds.
                #expect(try await store.claimOutbound(id: ids[0], owner: "crashed", until: Date().addingTimeInterval(-1), now: Date()))
                #expect(try await store.claimOutbound(id: ids[1], owner: "alive", until: Date().addingTimeInterval(600), now: Date()))
                return (ids[0].uuidString.lowercased(), ids[1].uuidString.lowercased())
            }
            try await f.withListener { listener in
                try await f.eventually("the crashed send's message sent", listener) {
                    Self.delivered.contains(try await f.show(crashed)["status"] as? String ?? "")
                }
                let sent = await f.pairing.simulator.sentMessages()
                #expect(sent.map(\.text) == ["Depois da queda"], "sent once; the held message not at all")
                #expect(try await f.show(crashed)["retryCount"] as? Int == 1)
                let other = try await f.show(held)
                #expect(other["status"] as? String == "queued" && other["retryCount"] as? Int == 0, "\(other)")
            }
        }
    }

    @Test("5xx twice then success: sent after 3 attempts; a number not on WhatsApp fails at once", arguments: TestDatabaseKind.available)
    func faults(kind: TestDatabaseKind) async throws {
        try await OutboundFixture.with(kind) { f in
            try await f.withListener { listener in
                try await f.connect(webhooksTo: listener)
                await f.pairing.simulator.injectFault(.status(500), count: 2)
                let retried = try await f.queue("Tentativa")
                try await f.eventually("sent after retries", listener) {
                    Self.delivered.contains(try await f.show(retried)["status"] as? String ?? "")
                }
                #expect(try await f.show(retried)["retryCount"] as? Int == 3)
                #expect(await f.pairing.simulator.sentMessages().count == 1)

                let nobody = "5521987654321"
                await f.pairing.simulator.updateSettings { $0.numbersNotOnWhatsApp = [nobody] }
                let refused = try await f.queue("Sem WhatsApp", to: nobody)
                var shown: [String: Any] = [:]
                try await f.eventually("failed", listener) {
                    shown = try await f.show(refused)
                    return shown["status"] as? String == "failed"
                }
                #expect(shown["retryCount"] as? Int == 1, "a permanent refusal is not retried: \(shown)")
                #expect(shown["failedAt"] is String)
                let reason = shown["errorMessage"] as? String ?? ""
                #expect(!reason.isEmpty && !reason.contains(nobody), "\(reason)")
                #expect(await f.pairing.simulator.sentMessages().count == 1)

                let metrics = try await f.metrics(listener)
                #expect(OutboundFixture.value(Self.sentSeries, in: metrics) == 1)
                #expect(OutboundFixture.value(#"crm_outbound_sends_total{provider="evolution",result="retry"}"#, in: metrics) == 2)
                #expect(OutboundFixture.value(#"crm_outbound_sends_total{provider="evolution",result="failed"}"#, in: metrics) == 1)
                #expect(OutboundFixture.value(#"crm_outbound_retries_total{provider="evolution"}"#, in: metrics) == 2)
            }
        }
    }

    @Test("--no-worker leaves messages queued; a unit that is not connected keeps its messages queued and is logged once")
    func staysQueued() async throws {
        try await OutboundFixture.with(.sqlite) { f in
            var queued = ""
            try await f.withListener(["--no-worker"]) { listener in
                try await f.connect(webhooksTo: listener)
                queued = try await f.queue("Fica na fila")
                #expect(listener.logText.contains("outboundWorker=off"), "\(listener.logText)")
                // Several of a worker's idle polls (200 ms): a worker would have sent it by now.
                try await Task.sleep(for: .seconds(1))
                #expect(try await f.show(queued)["status"] as? String == "queued")
                #expect(await f.pairing.simulator.sentMessages().isEmpty)
            }
            // A unit that was never connected, with a message a script queued before.
            try #require(try await f.pairing.base.crm("units", "create", "Outra").status == 0)
            let waiting = try await f.withStore { store in
                let unit = try #require(try await store.unit(slug: "outra"))
                let request = OutboundRequest(
                    unitId: unit.id, provider: .evolution, phone: Self.contact, body: "Espera", clientMessageId: "espera", queuedAt: Date())
                guard case .created(let message) = try await store.enqueueOutbound(request) else { throw CRMError.conflict("espera") }
                return message.id.uuidString.lowercased()
            }
            try await f.withListener { listener in
                try await f.eventually("the queued message sent", listener) {
                    Self.delivered.contains(try await f.show(queued)["status"] as? String ?? "")
                }
                let other = try await f.show(waiting)
                #expect(other["status"] as? String == "queued" && other["retryCount"] as? Int == 0, "\(other)")
                let lines = listener.logText.split(separator: "\n").filter { $0.contains("wait until the unit is connected") }
                #expect(lines.count == 1 && lines.first?.contains("unit=outra") == true, "\(listener.logText)")
                #expect(await f.pairing.simulator.sentMessages().map(\.text) == ["Fica na fila"])
            }
        }
    }

    @Test("a unit whose provider cannot be opened (EVOLUTION_API_URL unset): its messages stay queued, untouched, logged once")
    func providerUnavailable() async throws {
        try await OutboundFixture.with(.sqlite) { f in
            try await f.withListener(["--no-worker"]) { listener in try await f.connect(webhooksTo: listener) }
            let id = try await f.queue("Sem servidor")
            let listener = try await f.startListener(without: ["EVOLUTION_API_URL"])
            do {
                let line = "cannot send a unit's queued messages"
                try await f.eventually("the worker's complaint", listener) { listener.logText.contains(line) }
                // Several claims' worth of time: the unit is left aside, not claimed and logged again.
                try await Task.sleep(for: .seconds(1))
                #expect(listener.logText.components(separatedBy: line).count == 2, "logged once:\n\(listener.logText)")
                #expect(listener.logText.contains("EVOLUTION_API_URL is not set"))
                let shown = try await f.show(id)
                #expect(shown["status"] as? String == "queued" && shown["retryCount"] as? Int == 0, "\(shown)")
                #expect(try await f.count("SELECT count(*) AS n FROM messages WHERE lease_owner IS NOT NULL") == 0, "given back")
                #expect(await f.pairing.simulator.sentMessages().isEmpty)
                #expect(await listener.stop() == 0)
            } catch {
                _ = await listener.stop()
                throw error
            }
        }
    }

    @Test("SIGTERM while a send is in flight: it finishes and is recorded, the claimed messages not started go back, exit 0")
    func gracefulStop() async throws {
        try await OutboundFixture.with(.sqlite) { f in
            try await f.withListener(["--no-worker"]) { listener in try await f.connect(webhooksTo: listener) }
            var ids: [String] = []
            for text in ["Em voo", "Na fila 1", "Na fila 2"] { ids.append(try await f.queue(text)) }
            // The simulator holds the first send until the listener has been told to stop.
            await f.pairing.simulator.injectFault(.hold, count: 1)
            // One send at a time: the first is held by the simulator, the other two wait claimed in the worker.
            // The held call must not time out while a loaded machine gets to the SIGTERM.
            let listener = try await f.startListener(["--worker-concurrency", "1"], adding: ["CRM_PROVIDER_TIMEOUT": "120"])
            do {
                try await f.eventually("the first send held and all three claimed by the worker", listener) {
                    guard await f.pairing.simulator.heldRequestCount() == 1 else { return false }
                    return try await f.count("SELECT count(*) AS n FROM messages WHERE status = 'queued' AND lease_owner LIKE 'worker-%'") == 3
                }
                listener.process.terminate()
                try await f.eventually("the worker told to stop", listener) { listener.logText.contains("outbound worker claims no more") }
                await f.pairing.simulator.releaseHeldRequests()
                let status = await listener.process.exitStatus(within: 15)
                #expect(status == 0, "\(listener.logText.suffix(2000))")
            } catch {
                await f.pairing.simulator.releaseHeldRequests()
                _ = await listener.stop()
                throw error
            }
            // The server stops after the worker: the send's receipts may still have been applied.
            let first = try await f.show(ids[0])
            #expect(Self.delivered.contains(first["status"] as? String ?? "") && first["sentAt"] is String, "\(first)")
            for id in ids.dropFirst() {
                let shown = try await f.show(id)
                #expect(shown["status"] as? String == "queued" && shown["retryCount"] as? Int == 0, "\(shown)")
            }
            #expect(try await f.count("SELECT count(*) AS n FROM messages WHERE lease_owner IS NOT NULL") == 0, "leases given back")
            #expect(await f.pairing.simulator.sentMessages().map(\.text) == ["Em voo"])

            try await f.withListener { listener in
                try await f.eventually("the other two sent", listener) {
                    try await f.count("SELECT count(*) AS n FROM messages WHERE status = 'queued'") == 0
                }
            }
            // The restarted worker sends the two at once, in either order.
            let sent = await f.pairing.simulator.sentMessages().map(\.text)
            #expect(sent.first == "Em voo" && sent.sorted() == ["Em voo", "Na fila 1", "Na fila 2"], "\(sent)")
        }
    }

    @Test("two listeners on one PostgreSQL database send 300 queued messages, each exactly once")
    func twoListeners() async throws {
        guard TestDatabaseKind.available.contains(.postgres) else { return }  // needs CRM_TEST_POSTGRES_URL
        try await OutboundFixture.with(.postgres) { f in
            try await f.withListener { first in
                try await f.connect(webhooksTo: first)
                try await f.withListener { second in
                    try await f.withStore { store in
                        let unit = try #require(try await store.unit(slug: "loja"))
                        for index in 0..<300 {
                            let phone = "55119" + String(format: "%08d", index)
                            _ = try await store.enqueueOutbound(OutboundRequest(
                                unitId: unit.id, provider: .evolution, phone: phone, body: "mensagem \(index)",
                                clientMessageId: "m\(index)", queuedAt: Date()))
                        }
                    }
                    try await f.eventually("every message sent", first, second, seconds: 120) {
                        try await f.count("SELECT count(*) AS n FROM messages WHERE status = 'queued'") == 0
                    }
                    let sent = await f.pairing.simulator.sentMessages()
                    #expect(sent.count == 300, "one provider call per message")
                    #expect(Set(sent.map(\.text)).count == 300)
                    #expect(try await f.count("SELECT count(*) AS n FROM messages WHERE status IN ('sent', 'delivered', 'read') AND retry_count = 1") == 300)
                    let counts = [
                        OutboundFixture.value(Self.sentSeries, in: try await f.metrics(first)),
                        OutboundFixture.value(Self.sentSeries, in: try await f.metrics(second)),
                    ]
                    #expect(counts.reduce(0, +) == 300, "\(counts)")
                }
            }
        }
    }
}
