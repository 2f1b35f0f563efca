import CRMCore
import CRMSimulator
import CRMTestSupport
import Foundation
import Testing

/// `crm send` end to end against the Evolution simulator: one provider call per client message id,
/// whatever the callers do.
@Suite("crm send (end to end)")
struct SendCommandTests {
    static let contact = "5511998765432"

    /// A connected unit "loja".
    func connected(_ f: PairingFixture) async throws {
        try #require(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
        #expect(await f.simulator.scan(instance: "crm-loja", phone: "5511987654321"))
        try #require(try await f.whatsapp(["status"]).status == 0)  // records "connected"
    }

    func send(_ f: PairingFixture, _ arguments: [String]) async throws -> CLIRunner.Result {
        var cli = f.base.cli
        cli.environment.merge(f.environment) { _, new in new }
        return try await cli.run(["send", "--unit", "loja"] + arguments + ["--database", f.base.databaseURL])
    }

    @Test("sends once per client message id; the same id again answers the same message; another text is a conflict",
          arguments: TestDatabaseKind.available)
    func idempotent(kind: TestDatabaseKind) async throws {
        try await PairingFixture.with(kind) { f in
            try await connected(f)
            let first = try await send(f, ["--to", "+55 (11) 99876-5432", "--text", "Seu pedido saiu.", "--client-message-id", "pedido-1", "--json"])
            #expect(first.status == 0, "\(first)")
            let json = try #require(first.json as? [String: Any])
            #expect(json["status"] as? String == "sent")
            #expect(json["createdNow"] as? Bool == true)
            #expect(json["to"] as? String == "+55 11 9****-5432")
            let sent = await f.simulator.sentMessages()
            #expect(sent.count == 1 && sent.first?.to == Self.contact && sent.first?.text == "Seu pedido saiu.")
            #expect(json["externalId"] as? String == sent.first?.externalId)

            let again = try await send(f, ["--to", "011 99876-5432", "--text", "Seu pedido saiu.", "--client-message-id", "pedido-1", "--json"])
            #expect(again.status == 0, "\(again)")
            #expect((again.json as? [String: Any])?["id"] as? String == json["id"] as? String)
            #expect((again.json as? [String: Any])?["createdNow"] as? Bool == false)
            #expect(await f.simulator.sentMessages().count == 1, "no second provider call")

            expectCleanError(try await send(f, ["--to", Self.contact, "--text", "Outro texto", "--client-message-id", "pedido-1"]),
                             status: 67, mentions: "pedido-1")
            #expect(await f.simulator.sentMessages().count == 1)
        }
    }

    @Test("four processes with the same id at the same instant: one provider call, one message id", arguments: TestDatabaseKind.available)
    func concurrent(kind: TestDatabaseKind) async throws {
        try await PairingFixture.with(kind) { f in
            try await connected(f)
            let results = try await withThrowingTaskGroup(of: CLIRunner.Result.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await send(f, ["--to", Self.contact, "--text", "Oi!", "--client-message-id", "same-key", "--json"]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0.status == 0 }, "\(results)")
            let ids = Set(results.compactMap { ($0.json as? [String: Any])?["id"] as? String })
            #expect(ids.count == 1)
            #expect(await f.simulator.sentMessages().count == 1)
        }
    }

    @Test("refused before anything is stored: not connected, empty or too long text, a bad number")
    func refusals() async throws {
        try await PairingFixture.with(.sqlite) { f in
            expectCleanError(try await send(f, ["--to", Self.contact, "--text", "Oi"]), status: 69, mentions: "not connected")
            try await connected(f)
            expectCleanError(try await send(f, ["--to", Self.contact, "--text", "   "]), status: 65, mentions: "empty")
            expectCleanError(try await send(f, ["--to", Self.contact, "--text", String(repeating: "a", count: 4_097)]), status: 65, mentions: "4096")
            expectCleanError(try await send(f, ["--to", "12ab", "--text", "Oi"]), status: 65, mentions: "phone")
            let listed = try await f.base.crm("messages", "list", "--unit", "loja", "--json")
            #expect((listed.json as? [Any])?.isEmpty == true, "\(listed)")
            #expect(await f.simulator.sentMessages().isEmpty)
        }
    }

    @Test("5xx twice then success: sent after 3 attempts; 5xx three times: failed, exit 69, recorded")
    func retries() async throws {
        try await PairingFixture.with(.sqlite) { f in
            try await connected(f)
            await f.simulator.injectFault(.status(500), count: 2)
            let retried = try await send(f, ["--to", Self.contact, "--text", "Tentativa", "--json"])
            #expect(retried.status == 0, "\(retried)")
            #expect((retried.json as? [String: Any])?["attempts"] as? Int == 3)
            #expect(await f.simulator.sentMessages().count == 1)

            await f.simulator.injectFault(.status(500), count: 3)
            let failed = try await send(f, ["--to", Self.contact, "--text", "Sem sorte", "--client-message-id", "fails"])
            expectCleanError(failed, status: 69, mentions: "3 attempt")
            let listed = try #require(try await f.base.crm("messages", "list", "--unit", "loja", "--status", "failed", "--json").json as? [[String: Any]])
            #expect(listed.count == 1)
            #expect(await f.simulator.sentMessages().count == 1, "the failed message never reached the provider")
        }
    }

    @Test("the loop closed: sent, then the provider's receipts through the listener make it read", arguments: TestDatabaseKind.available)
    func loopClosed(kind: TestDatabaseKind) async throws {
        try await ListenerFixture.with(kind) { f in
            #expect(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
            #expect(await f.pairing.simulator.scan(instance: "crm-loja", phone: "5511987654321"))
            try await f.eventually("connected") { try await f.pairing.storedConnection()?.status.state == .connected }
            let sent = try await send(f.pairing, ["--to", Self.contact, "--text", "Chegou?", "--json"])
            let id = try #require((sent.json as? [String: Any])?["id"] as? String, "\(sent)")
            var shown: [String: Any] = [:]
            try await f.eventually("read") {
                shown = (try await f.pairing.base.crm("messages", "show", id, "--json").json as? [String: Any]) ?? [:]
                return shown["status"] as? String == "read"
            }
            for stamp in ["sentAt", "deliveredAt", "readAt"] { #expect(shown[stamp] is String, "\(stamp): \(shown)") }
            #expect(try await f.count("SELECT count(*) AS n FROM messages") == 1, "the send.message echo is the same message")
        }
    }
}
