import CRMCore
import CRMSimulator
import CRMTestSupport
import Foundation
import Testing

/// Opting out end to end: the simulator's contact writes "Parar", the built listener stores it and
/// opts the contact out, `crm send` refuses the contact unless --force, `crm contacts opt-in` lets
/// it through again; a number opted out by hand is refused before it ever wrote.
@Suite("Opting out through the listener (end to end)")
struct OptOutListenerTests {
    static let contact = "5511976543210"
    static let account = "5511987654321"

    func crm(_ f: ListenerFixture, _ arguments: [String]) async throws -> CLIRunner.Result {
        var cli = f.pairing.base.cli
        cli.environment.merge(f.pairing.environment) { _, new in new }
        return try await cli.run(arguments + ["--database", f.pairing.base.databaseURL])
    }

    func send(_ f: ListenerFixture, to phone: String = Self.contact, _ arguments: [String]) async throws -> CLIRunner.Result {
        try await crm(f, ["send", "--unit", "loja", "--to", phone] + arguments)
    }

    @Test("\"Parar\" from the contact opts it out; send refused unless --force; opt-in lets it through", arguments: TestDatabaseKind.available)
    func optOutByMessage(kind: TestDatabaseKind) async throws {
        try await ListenerFixture.with(kind) { f in
            try #require(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
            #expect(await f.pairing.simulator.scan(instance: "crm-loja", phone: Self.account))
            try await f.eventually("connected through the webhook") { try await f.pairing.storedConnection()?.status.state == .connected }

            // An ordinary message first: the contact exists and may be written to.
            _ = try #require(await f.pairing.simulator.inbound(instance: "crm-loja", from: Self.contact, text: "quero parar de pagar caro"))
            try await f.eventually("the first message") { try await f.count("SELECT count(*) AS n FROM messages") == 1 }
            #expect(try await f.count("SELECT count(*) AS n FROM contacts WHERE opted_out = false AND opted_out_at IS NULL") == 1)

            _ = try #require(await f.pairing.simulator.inbound(instance: "crm-loja", from: Self.contact, text: "Parar", pushName: "Maria"))
            try await f.eventually("the contact opted out") {
                try await f.count("SELECT count(*) AS n FROM contacts WHERE opted_out = true AND opted_out_at IS NOT NULL") == 1
            }
            #expect(try await f.count("SELECT count(*) AS n FROM messages WHERE body = 'Parar' AND direction = 'inbound'") == 1)
            let listed = try #require(try await crm(f, ["contacts", "list", "--unit", "loja", "--json"]).json as? [[String: Any]])
            #expect(listed.count == 1 && listed[0]["optedOut"] as? Bool == true)

            let refused = try await send(f, ["--text", "Promoção de sábado!"])
            expectCleanError(refused, status: 65, mentions: "opted out")
            #expect(refused.stderr.contains("--force") && refused.stderr.contains("+55 11 9****-3210"), "\(refused.stderr)")
            #expect(await f.pairing.simulator.sentMessages().isEmpty, "no provider call")
            #expect(try await f.count("SELECT count(*) AS n FROM messages WHERE direction = 'outbound'") == 0, "nothing stored")

            let forced = try await send(f, ["--text", "Segunda via do boleto", "--force", "--json"])
            #expect(forced.status == 0 && (forced.json as? [String: Any])?["status"] as? String == "sent", "\(forced)")

            let optIn = try await crm(f, ["contacts", "opt-in", "+55 11 97654-3210", "--unit", "loja", "--json"])
            #expect(optIn.status == 0 && (optIn.json as? [String: Any])?["changed"] as? Bool == true, "\(optIn)")
            let allowed = try await send(f, ["--text", "Bem-vinda de volta!"])
            #expect(allowed.status == 0, "\(allowed)")
            #expect(await f.pairing.simulator.sentMessages().map(\.text) == ["Segunda via do boleto", "Bem-vinda de volta!"])
        }
    }

    @Test("a number opted out by hand is refused before it ever wrote")
    func optOutByHand() async throws {
        try await ListenerFixture.with(.sqlite) { f in
            try #require(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
            #expect(await f.pairing.simulator.scan(instance: "crm-loja", phone: Self.account))
            try await f.eventually("connected through the webhook") { try await f.pairing.storedConnection()?.status.state == .connected }
            let blocked = "11 91234-5678"
            #expect(try await crm(f, ["contacts", "opt-out", blocked, "--unit", "loja"]).status == 0)
            expectCleanError(try await send(f, to: blocked, ["--text", "Oferta!"]), status: 65, mentions: "opted out")
            #expect(await f.pairing.simulator.sentMessages().isEmpty)
        }
    }
}
