import CRMCore
import CRMSimulator
import CRMTestSupport
import Foundation
import Testing

/// `crm whatsapp connect|status|qrcode|disconnect` for Z-API and Meta units, end to end against
/// the simulator's Z-API and Graph subsets.
@Suite("crm whatsapp pairing (end to end, Z-API and Meta)")
struct WhatsAppProvidersPairingTests {
    static let zapiId = "3C4A5B6D7E8F9A"
    static let zapiToken = "zapi-instance-token-0001"
    static let zapiClientToken = "zapi-client-token-0002"
    static let metaId = "112233445566778"
    static let metaToken = "EAAG-meta-access-token-0003"
    static let metaSecret = "meta-app-secret-0004"
    static let verifyToken = "verify-token-0005"

    func configureZAPI(_ f: PairingFixture, clientToken: String = zapiClientToken) async throws {
        _ = await f.simulator.provisionZAPIInstance(instanceId: Self.zapiId, token: Self.zapiToken, clientToken: Self.zapiClientToken)
        let configured = try await f.whatsapp([
            "configure", "--provider", "zapi", "--instance-id", Self.zapiId, "--instance-token", Self.zapiToken,
            "--client-token", clientToken, "--base-url", f.simulatorURL,
        ])
        try #require(configured.status == 0, "\(configured)")
    }

    func configureMeta(_ f: PairingFixture, token: String = metaToken) async throws {
        _ = await f.simulator.addMetaNumber(MetaNumberConfiguration(
            phoneNumberId: Self.metaId, displayPhoneNumber: "+55 11 98765-4321", accessToken: Self.metaToken, appSecret: Self.metaSecret
        ))
        let configured = try await f.whatsapp([
            "configure", "--provider", "meta", "--phone-number-id", Self.metaId, "--access-token", token,
            "--app-secret", Self.metaSecret, "--verify-token", Self.verifyToken, "--base-url", f.simulatorURL,
        ])
        try #require(configured.status == 0, "\(configured)")
    }

    func expectNoTokens(_ result: CLIRunner.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in [Self.zapiToken, Self.zapiClientToken, Self.metaToken, Self.metaSecret, PairingFixture.secretKey] {
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "leaks a token", sourceLocation: sourceLocation)
        }
    }

    @Test("Z-API: connect registers every webhook, follows a rotation to connected; status; disconnect", arguments: TestDatabaseKind.available)
    func zapi(kind: TestDatabaseKind) async throws {
        try await PairingFixture.with(kind) { f in
            try await configureZAPI(f)
            let first = try await f.whatsapp(["connect", "--no-wait", "--json"])
            #expect(first.status == 0, "\(first)")
            expectNoTokens(first)
            let json = try #require(first.json as? [String: Any])
            let url = try #require(json["webhookURL"] as? String)
            #expect(url.hasPrefix(PairingFixture.baseURL + "/webhooks/whatsapp/zapi/"))
            #expect(json["qr"] as? String == (await f.simulator.instance(Self.zapiId))?.qrCode)
            let hooks = await f.simulator.zapiWebhooks(instanceId: Self.zapiId)
            #expect(hooks.count >= 4 && hooks.values.allSatisfy { $0 == url }, "\(hooks)")

            let shown = try #require(await f.simulator.instance(Self.zapiId)).qrCode
            async let waiting = f.whatsapp(["connect", "--wait", "--timeout", "60"])
            #expect(await f.simulator.rotate(instance: Self.zapiId))
            let rotated = try await f.waitForInstance(Self.zapiId) { $0.qrCode != shown }.qrCode
            // Only the waiting connect records a code after the rotation: once it is stored, that
            // process is running and has drawn it, so the scan cannot come before it starts.
            let deadline = Date().addingTimeInterval(60)
            while try await f.storedConnection()?.status.qrCode != rotated, Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(await f.simulator.scan(instance: Self.zapiId, phone: "5531998765432"))
            let result = try await waiting
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains(try WhatsAppPairingTests.drawing(rotated)))
            #expect(result.stdout.hasSuffix("Connected as +55 31 9****-5432.\n"), "\(result.stdout.suffix(200))")

            let status = try #require(try await f.whatsapp(["status", "--json"]).json as? [String: Any])
            #expect(status["source"] as? String == "provider")
            #expect((status["connection"] as? [String: Any])?["phone"] as? String == "+55 31 9****-5432")

            let bye = try await f.whatsapp(["disconnect", "--yes", "--json"])
            #expect(bye.status == 0 && (bye.json as? [String: Any])?["state"] as? String == "disconnected", "\(bye)")
            #expect(await f.simulator.instance(Self.zapiId)?.state != .open)
        }
    }

    @Test("Z-API: a refused client token is a clear configuration error, without the token")
    func zapiWrongClientToken() async throws {
        try await PairingFixture.with(.sqlite) { f in
            try await configureZAPI(f, clientToken: "zapi-wrong-client-token-9999")
            let result = try await f.whatsapp(["connect", "--no-wait"])
            expectCleanError(result, status: 78, mentions: "client token")
            #expect(!result.stderr.contains("zapi-wrong-client-token-9999"))
            #expect(try await f.storedConnection()?.webhookSecretHash == nil)
        }
    }

    @Test("Meta: connect checks the credentials and sets the webhook once the URL answers Meta's verification")
    func meta() async throws {
        try await PairingFixture.with(.sqlite) { f in
            try await configureMeta(f)
            // Nothing answers at BASE_URL yet (a refused loopback port, so that the outcome does
            // not hang on name resolution): Meta cannot verify the callback, nothing is recorded.
            let unverified = try await f.whatsapp(["connect"], overrides: ["BASE_URL": "http://127.0.0.1:1"])
            expectCleanError(unverified, status: 78, mentions: "crm webhook serve")
            #expect(try await f.storedConnection()?.status.state == .disconnected)
            #expect(try await f.storedConnection()?.webhookSecretHash == nil)

            let responder = try await MetaVerificationResponder.start(verifyToken: Self.verifyToken)
            let connected = try await f.whatsapp(["connect"], overrides: ["BASE_URL": responder.baseURL])
            await responder.stop()
            #expect(connected.status == 0, "\(connected)")
            expectNoTokens(connected)
            #expect(connected.stdout.contains("Meta accepted the credentials of unit loja: connected as +55 11 9****-4321."))
            #expect(connected.stdout.contains(responder.baseURL + "/webhooks/whatsapp/meta/"), "the URL to paste in the app")
            #expect(!connected.stdout.contains("▀"))

            let status = try #require(try await f.whatsapp(["status", "--json"]).json as? [String: Any])
            #expect((status["connection"] as? [String: Any])?["state"] as? String == "connected")
            expectCleanError(try await f.whatsapp(["qrcode"]), status: 65, mentions: "not paired with a QR code")
            let bye = try await f.whatsapp(["disconnect", "--yes", "--json"])
            #expect((bye.json as? [String: Any])?["state"] as? String == "disconnected", "\(bye)")
        }
    }

    @Test("Meta: a refused access token says which credential to fix, without it")
    func metaWrongToken() async throws {
        try await PairingFixture.with(.sqlite) { f in
            try await configureMeta(f, token: "EAAG-wrong-token-8888")
            let result = try await f.whatsapp(["connect"])
            expectCleanError(result, status: 78, mentions: "access token")
            #expect(!result.stderr.contains("EAAG-wrong-token-8888"))
        }
    }
}
