import CRMCore
import CRMSimulator
import CRMTestSupport
import Foundation
import Testing

/// What an operator sees when pairing goes wrong: one clear line, a documented exit code, no
/// secret, and a connection row that still tells the truth.
@Suite("crm whatsapp pairing faults (end to end)")
struct WhatsAppPairingFaultTests {
    /// Nothing in the output may reveal the API key, the secret key or a webhook secret.
    func expectNoSecrets(_ result: CLIRunner.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in [PairingFixture.apiKey, PairingFixture.secretKey, "/webhooks/whatsapp/evolution/"] {
            #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret), "leaks \(secret)", sourceLocation: sourceLocation)
        }
    }

    /// A failed first connect leaves no webhook secret and no QR behind.
    func expectUntouched(_ f: PairingFixture, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let stored = try await f.storedConnection()
        #expect(stored?.webhookSecretHash == nil, sourceLocation: sourceLocation)
        #expect(stored?.status.state ?? .disconnected == .disconnected, sourceLocation: sourceLocation)
        #expect(stored?.status.qrCode == nil, sourceLocation: sourceLocation)
    }

    @Test("provider down: exit 69 naming Evolution and the address", arguments: TestDatabaseKind.available)
    func providerDown(kind: TestDatabaseKind) async throws {
        try await PairingFixture.with(kind) { f in
            let result = try await f.whatsapp(["connect", "--no-wait"], overrides: ["EVOLUTION_API_URL": "http://127.0.0.1:1"])
            expectCleanError(result, status: 69, mentions: "Evolution")
            expectNoSecrets(result)
            try await expectUntouched(f)
        }
    }

    @Test("a wrong API key: exit 78 that says to check EVOLUTION_API_KEY")
    func wrongKey() async throws {
        try await PairingFixture.with(.sqlite) { f in
            let result = try await f.whatsapp(["connect", "--no-wait"], overrides: ["EVOLUTION_API_KEY": "not-the-key"])
            expectCleanError(result, status: 78, mentions: "EVOLUTION_API_KEY")
            #expect(!result.stderr.contains("not-the-key"))
            try await expectUntouched(f)
        }
    }

    @Test("500s past the retries, an HTML error page, a timeout: exit 69, nothing recorded")
    func serverFaults() async throws {
        try await PairingFixture.with(.sqlite) { f in
            // Three attempts in all (ProviderRetryPolicy): exactly as many faults as the client will meet.
            await f.simulator.injectFault(.status(500), count: 3)
            let failing = try await f.whatsapp(["connect", "--no-wait"])
            expectCleanError(failing, status: 69, mentions: "500")
            expectNoSecrets(failing)
            try await expectUntouched(f)

            await f.simulator.injectFault(.html(status: 502), count: 3)
            let html = try await f.whatsapp(["connect", "--no-wait"])
            expectCleanError(html, status: 69, mentions: "Evolution")
            #expect(!html.stderr.contains("<html") && !html.stderr.lowercased().contains("<!doctype"))
            try await expectUntouched(f)

            await f.simulator.injectFault(.delay(milliseconds: 4_000), count: 3)
            let slow = try await f.whatsapp(["connect", "--no-wait"], overrides: ["CRM_PROVIDER_TIMEOUT": "0.5"])
            expectCleanError(slow, status: 69, mentions: "Evolution")
            try await expectUntouched(f)

            // Once the provider is healthy again, the same command works.
            let recovered = try await f.whatsapp(["connect", "--no-wait", "--json"], overrides: ["CRM_PROVIDER_TIMEOUT": "10"])
            #expect(recovered.status == 0, "\(recovered)")
        }
    }

    @Test("two 500s are retried: connect succeeds")
    func transientFaults() async throws {
        try await PairingFixture.with(.sqlite) { f in
            await f.simulator.injectFault(.status(500), count: 2)
            let result = try await f.whatsapp(["connect", "--no-wait", "--json"])
            #expect(result.status == 0, "\(result)")
            #expect(try await f.storedConnection()?.status.state == .qr)
        }
    }

    @Test("status falls back to the database when the provider is down, and says so")
    func statusFallback() async throws {
        try await PairingFixture.with(.sqlite) { f in
            #expect(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
            #expect(await f.simulator.scan(instance: "crm-loja", phone: "5511987654321"))
            #expect(try await f.whatsapp(["status"]).status == 0)
            let result = try await f.whatsapp(["status", "--json"], overrides: ["EVOLUTION_API_URL": "http://127.0.0.1:1"])
            #expect(result.status == 0, "\(result)")
            let json = try #require(result.json as? [String: Any])
            #expect(json["source"] as? String == "database")
            #expect((json["sourceNote"] as? String)?.contains("Evolution") == true)
            #expect((json["connection"] as? [String: Any])?["state"] as? String == "connected")
            let human = try await f.whatsapp(["status"], overrides: ["EVOLUTION_API_URL": ""])
            #expect(human.status == 0 && human.stdout.contains("database (Evolution API not asked: EVOLUTION_API_URL is not set"), "\(human)")
        }
    }

    @Test("a disconnect the provider refuses changes nothing")
    func disconnectFailure() async throws {
        try await PairingFixture.with(.sqlite) { f in
            #expect(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
            #expect(await f.simulator.scan(instance: "crm-loja"))
            #expect(try await f.whatsapp(["status"]).status == 0)
            await f.simulator.injectFault(.status(500), count: 10)
            expectCleanError(try await f.whatsapp(["disconnect", "--yes"]), status: 69, mentions: "500")
            await f.simulator.injectFault(.status(500), count: 0)
            #expect(try await f.storedConnection()?.status.state == .connected)
        }
    }

    @Test("missing configuration is named, with what to set", arguments: [
        ("BASE_URL", "BASE_URL"), ("CRM_SECRET_KEY", "CRM_SECRET_KEY"), ("EVOLUTION_API_URL", "EVOLUTION_API_URL"),
        ("EVOLUTION_API_KEY", "EVOLUTION_API_KEY"),
    ])
    func missingConfiguration(variable: String, mention: String) async throws {
        try await PairingFixture.with(.sqlite) { f in
            let result = try await f.whatsapp(["connect", "--no-wait"], overrides: [variable: ""])
            expectCleanError(result, status: 78, mentions: mention)
            #expect(await f.simulator.instance("crm-loja") == nil, "nothing reached the provider")
        }
    }

    @Test("bad input: unknown unit, no connection yet, an unconfigured provider, a bad BASE_URL")
    func badInput() async throws {
        try await PairingFixture.with(.sqlite) { f in
            expectCleanError(try await f.whatsapp(["connect", "--no-wait"], unit: "ghost"), status: 66, mentions: "ghost")
            expectCleanError(try await f.whatsapp(["status"]), status: 66, mentions: "crm whatsapp connect")
            expectCleanError(try await f.whatsapp(["disconnect", "--yes"]), status: 66, mentions: "crm whatsapp connect")
            expectCleanError(try await f.whatsapp(["connect", "--provider", "meta"]), status: 78, mentions: "crm whatsapp configure")
            expectCleanError(try await f.whatsapp(["connect"], overrides: ["BASE_URL": "ftp://x"]), status: 78, mentions: "BASE_URL")
            let usage = try await f.whatsapp(["connect", "--timeout", "0"])
            #expect(usage.status == 64 && usage.stderr.contains("--timeout must be between 1 and 3600"), "\(usage)")
            #expect(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
            expectCleanError(try await f.whatsapp(["connect", "--provider", "zapi"]), status: 67, mentions: "configured for evolution")
            let unwritable = try await f.whatsapp(["qrcode", "--png", "/nonexistent-folder/qr.png"])
            expectCleanError(unwritable, status: 73, mentions: "/nonexistent-folder/qr.png")
        }
    }
}
