import CRMCore
import CRMSimulator
import CRMStore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

/// `crm send`'s rules end to end against the simulator: Meta's 24-hour window and templates,
/// templates refused on other providers, opted-out contacts refused unless --force. A refusal
/// stores nothing and calls no provider.
@Suite("crm send rules (end to end)")
struct SendRulesTests {
    static let contact = "5511998765432"
    static let hour: TimeInterval = 3600
    static let pedido = MetaTemplate(name: "pedido_enviado", language: "pt_BR", body: "Olá {{1}}, seu pedido {{2}} saiu.")

    /// A Meta unit "loja", connected (credentials checked, webhook verified by a stand-in).
    func connectedMeta(_ f: PairingFixture) async throws {
        let ids = WhatsAppProvidersPairingTests.self
        _ = await f.simulator.addMetaNumber(MetaNumberConfiguration(
            phoneNumberId: ids.metaId, displayPhoneNumber: "+55 11 98765-4321", accessToken: ids.metaToken,
            appSecret: ids.metaSecret, templates: MetaTemplate.defaults + [Self.pedido]
        ))
        let configured = try await f.whatsapp([
            "configure", "--provider", "meta", "--phone-number-id", ids.metaId, "--access-token", ids.metaToken,
            "--app-secret", ids.metaSecret, "--verify-token", ids.verifyToken, "--base-url", f.simulatorURL,
        ])
        try #require(configured.status == 0, "\(configured)")
        let responder = try await MetaVerificationResponder.start(verifyToken: ids.verifyToken)
        let connected = try await f.whatsapp(["connect"], overrides: ["BASE_URL": responder.baseURL])
        await responder.stop()
        try #require(connected.status == 0, "\(connected)")
    }

    /// The contact writes to the unit at `sentAt`, stored through the listener's write path.
    func inbound(_ f: PairingFixture, id: String, provider: ProviderKind = .meta, sentAt: Date, optOut: Bool = false) async throws {
        let database = try await CRMDatabase.open(try DatabaseLocation.parse(f.base.databaseURL), logger: TestDatabases.logger)
        do {
            let unit = try #require(try await database.store.unit(slug: "loja"))
            _ = try await database.store.storeIncomingMessage(IncomingMessage(
                unitId: unit.id, provider: provider, externalId: id, phone: Self.contact, lid: nil, senderName: "Maria",
                fromMe: false, kind: .text, body: "Oi", sentAt: sentAt, receivedAt: sentAt))
            if optOut {
                try await database.withUnsafeSQL { sql in
                    try await sql.raw("UPDATE contacts SET opted_out = \(bind: true), opted_out_at = \(bind: sentAt)").run()
                }
            }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    func send(_ f: PairingFixture, _ arguments: [String]) async throws -> CLIRunner.Result {
        var cli = f.base.cli
        cli.environment.merge(f.environment) { _, new in new }
        return try await cli.run(["send", "--unit", "loja", "--to", Self.contact] + arguments + ["--database", f.base.databaseURL])
    }

    func outbound(_ f: PairingFixture) async throws -> [[String: Any]] {
        let listed = try await f.base.crm("messages", "list", "--unit", "loja", "--direction", "out", "--json")
        return try #require(listed.json as? [[String: Any]], "\(listed)")
    }

    @Test("Meta: free text refused 25 h after the contact's last message, a template sent and stored; 1 h after, free text sent",
          arguments: TestDatabaseKind.available)
    func metaWindow(kind: TestDatabaseKind) async throws {
        try await PairingFixture.with(kind) { f in
            try await connectedMeta(f)
            try await inbound(f, id: "wamid.old", sentAt: Date() - 25 * Self.hour)

            let refused = try await send(f, ["--text", "Seu pedido saiu.", "--client-message-id", "texto-1"])
            expectCleanError(refused, status: 65, mentions: "24 hours")
            #expect(refused.stderr.contains("--template") && refused.stderr.contains("25 hours ago"), "\(refused.stderr)")
            #expect(!refused.stderr.contains(Self.contact))
            #expect(try await outbound(f).isEmpty, "nothing stored")
            #expect(await f.simulator.sentMessages().isEmpty, "Meta was not called")

            let template = ["--template", "pedido_enviado", "--language", "pt_BR", "--param", "Maria", "--param", "Nº 4521"]
            let sent = try await send(f, template + ["--client-message-id", "pedido-4521", "--json"])
            #expect(sent.status == 0, "\(sent)")
            let json = try #require(sent.json as? [String: Any])
            #expect(json["status"] as? String == "sent" && json["type"] as? String == "template")
            let calls = await f.simulator.sentMessages()
            #expect(calls.count == 1)
            #expect(calls.first?.template == "pedido_enviado/pt_BR" && calls.first?.text == "Olá Maria, seu pedido Nº 4521 saiu.")
            #expect(json["externalId"] as? String == calls.first?.externalId)

            let id = try #require(json["id"] as? String)
            let shown = try #require(try await f.base.crm("messages", "show", id, "--json").json as? [String: Any])
            #expect(shown["type"] as? String == "template")
            #expect(shown["body"] as? String == "template pedido_enviado (pt_BR): Maria | Nº 4521")
            let stored = try #require(shown["template"] as? [String: Any])
            #expect(stored["name"] as? String == "pedido_enviado" && stored["language"] as? String == "pt_BR")
            #expect(stored["parameters"] as? [String] == ["Maria", "Nº 4521"])

            // The same key: the same message, no second call; other parameters: a conflict.
            let again = try await send(f, template + ["--client-message-id", "pedido-4521", "--json"])
            #expect(again.status == 0 && (again.json as? [String: Any])?["id"] as? String == id, "\(again)")
            #expect((again.json as? [String: Any])?["createdNow"] as? Bool == false)
            let other = ["--template", "pedido_enviado", "--language", "pt_BR", "--param", "Maria", "--param", "Nº 4522"]
            expectCleanError(try await send(f, other + ["--client-message-id", "pedido-4521"]), status: 67, mentions: "pedido-4521")
            #expect(await f.simulator.sentMessages().count == 1)

            try await inbound(f, id: "wamid.new", sentAt: Date() - Self.hour)
            let text = try await send(f, ["--text", "Seu pedido saiu.", "--json"])
            #expect(text.status == 0, "\(text)")
            #expect((text.json as? [String: Any])?["type"] as? String == "text")
            #expect(await f.simulator.sentMessages().count == 2)
            #expect(await f.simulator.sentMessages().last?.template == nil)
        }
    }

    @Test("Meta: a template Meta does not know fails at once, recorded failed, with a clear error")
    func metaUnknownTemplate() async throws {
        try await PairingFixture.with(.sqlite) { f in
            try await connectedMeta(f)
            let failed = try await send(f, ["--template", "pedido_enviad", "--language", "pt_BR", "--param", "Maria"])
            expectCleanError(failed, status: 69, mentions: "132001")
            #expect(failed.stderr.contains("'pedido_enviad'") && failed.stderr.contains("1 attempt"), "\(failed.stderr)")
            let stored = try await outbound(f)
            #expect(stored.count == 1 && stored.first?["status"] as? String == "failed" && stored.first?["retryCount"] as? Int == 1)
            #expect(await f.simulator.sentMessages().isEmpty)
        }
    }

    @Test("Evolution: --template is refused; an opted-out contact is refused unless --force", arguments: TestDatabaseKind.available)
    func evolutionRules(kind: TestDatabaseKind) async throws {
        try await PairingFixture.with(kind) { f in
            try #require(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
            #expect(await f.simulator.scan(instance: "crm-loja", phone: "5511987654321"))
            try #require(try await f.whatsapp(["status"]).status == 0)

            let template = try await send(f, ["--template", "hello_world", "--language", "en_US"])
            expectCleanError(template, status: 65, mentions: "Evolution API")
            #expect(template.stderr.contains("--template is for Meta"), "\(template.stderr)")

            let before = try await send(f, ["--text", "Bem-vinda!", "--client-message-id", "boas-vindas"])
            #expect(before.status == 0, "\(before)")
            try await inbound(f, id: "3EB0OPTOUT", provider: .evolution, sentAt: Date() - Self.hour, optOut: true)
            let refused = try await send(f, ["--text", "Promoção!"])
            expectCleanError(refused, status: 65, mentions: "opted out")
            #expect(refused.stderr.contains("--force") && refused.stderr.contains("+55 11 9****-5432"), "\(refused.stderr)")
            #expect(try await outbound(f).count == 1, "nothing new stored")
            #expect(await f.simulator.sentMessages().count == 1, "no provider call")
            // A script retrying a key used before the opt-out gets that message back, not a refusal.
            let retried = try await send(f, ["--text", "Bem-vinda!", "--client-message-id", "boas-vindas", "--json"])
            #expect(retried.status == 0 && (retried.json as? [String: Any])?["createdNow"] as? Bool == false, "\(retried)")

            let forced = try await send(f, ["--text", "Seu pedido saiu.", "--force", "--json"])
            #expect(forced.status == 0 && (forced.json as? [String: Any])?["status"] as? String == "sent", "\(forced)")
            #expect(await f.simulator.sentMessages().map(\.text) == ["Bem-vinda!", "Seu pedido saiu."])
            #expect(try await outbound(f).count == 2)
        }
    }

    @Test("--template goes with --language and without --text; --param needs --template (usage errors)")
    func usage() async throws {
        try await PairingFixture.with(.sqlite) { f in
            for (arguments, mention) in [
                (["--template", "hello_world", "--language", "en_US", "--text", "Oi"], "not both"),
                (["--template", "hello_world"], "--language"),
                (["--text", "Oi", "--param", "Maria"], "--template"),
            ] {
                let result = try await send(f, arguments)
                #expect(result.status == 64, "\(arguments): \(result)")
                #expect(result.stderr.contains(mention), "\(result.stderr)")
            }
        }
    }
}
