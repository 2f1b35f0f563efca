import CRMCore
import CRMSimulator
import CRMTestSupport
import Foundation
import QRCode
import Testing

/// `crm whatsapp connect|status|qrcode|disconnect` end to end: the built binary, a real database,
/// and the Evolution simulator over loopback HTTP.
@Suite("crm whatsapp pairing (end to end, Evolution)")
struct WhatsAppPairingTests {
    /// The drawing crm prints for `code` on a pipe (plain half blocks, the test's COLUMNS).
    static func drawing(_ code: String) throws -> String {
        let fit = try QRCode.fittingTerminal(text: code, maxColumns: PairingFixture.columns)
        return fit.code.terminalString(style: .plain, quietZone: fit.quietZone)
    }

    @Test("connect --no-wait shows the simulator's QR and registers a stable webhook URL; the scan connects", arguments: TestDatabaseKind.available)
    func connectThenScan(kind: TestDatabaseKind) async throws {
        try await PairingFixture.with(kind) { f in
            let first = try await f.whatsapp(["connect", "--no-wait", "--json"])
            #expect(first.status == 0, "\(first)")
            let json = try #require(first.json as? [String: Any])
            let instance = try #require(await f.simulator.instance("crm-loja"))
            #expect(json["qr"] as? String == instance.qrCode)
            #expect(json["createdInstance"] as? Bool == true)
            let connection = try #require(json["connection"] as? [String: Any])
            #expect(connection["state"] as? String == "qr")
            #expect(connection["statusReason"] as? String == "waiting_scan")
            let url = try #require(json["webhookURL"] as? String)
            let prefix = PairingFixture.baseURL + "/webhooks/whatsapp/evolution/"
            #expect(url.hasPrefix(prefix))
            let secret = String(url.dropFirst(prefix.count))
            #expect(WebhookSecret.isWellFormed(secret))
            #expect(instance.webhookURL == url, "the provider must post to the URL crm prints")

            // Stored: the hash and the sealed secret, never the secret in clear.
            let stored = try #require(try await f.storedConnection())
            #expect(stored.webhookSecretHash == WebhookSecret.hash(secret))
            let sealed = try #require(stored.sealedWebhookSecret)
            #expect(sealed.range(of: Data(secret.utf8)) == nil)
            #expect(stored.status.state == .qr && stored.status.qrCode == instance.qrCode)

            // Again: the same instance and the same URL (a webhook configured elsewhere stays valid).
            let second = try await f.whatsapp(["connect", "--no-wait", "--json"])
            let again = try #require(second.json as? [String: Any])
            #expect(again["webhookURL"] as? String == url)
            #expect(again["createdInstance"] as? Bool == false)

            #expect(await f.simulator.scan(instance: "crm-loja", phone: "5511987654321"))
            let status = try await f.whatsapp(["status", "--json"])
            #expect(status.status == 0, "\(status)")
            let view = try #require(status.json as? [String: Any])
            #expect(view["source"] as? String == "provider")
            let connected = try #require(view["connection"] as? [String: Any])
            #expect(connected["state"] as? String == "connected")
            #expect(connected["phone"] as? String == "+55 11 9****-4321")
            #expect(connected["connectedAt"] is String)
            #expect(!status.stdout.contains("987654321"))

            let already = try await f.whatsapp(["connect"])
            #expect(already.status == 0, "\(already)")
            #expect(already.stdout.contains("already connected as +55 11 9****-4321"))
            #expect(!already.stdout.contains("▀") && !already.stdout.contains("█"))
        }
    }

    @Test("connect --wait redraws the rotated QR, writes the PNG, and ends connected")
    func waitFollowsRotation() async throws {
        try await PairingFixture.with(.sqlite) { f in
            let folder = f.base.folder
            let png = folder.appendingPathComponent("pairing.png").path
            // The waits below take up to 30 s each on a loaded machine: crm waits 150 s, the runner 180.
            async let run = f.whatsapp(["connect", "--wait", "--png", png, "--timeout", "150"], timeout: 180)
            let first = try await f.waitForInstance { _ in true }.qrCode
            try await waitForStoredCode(f, first)
            #expect(await f.simulator.rotate(instance: "crm-loja"))
            let second = try await f.waitForInstance { $0.qrCode != first }.qrCode
            try await waitForStoredCode(f, second)  // crm saw the rotation
            try await waitForPNG(png, second)
            #expect(await f.simulator.scan(instance: "crm-loja", phone: "5521912345678"))
            let result = try await run
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains(try Self.drawing(first)))
            #expect(result.stdout.contains(try Self.drawing(second)))
            #expect(result.stdout.hasSuffix("Connected as +55 21 9****-5678.\n"), "\(result.stdout.suffix(200))")
            let stored = try #require(try await f.storedConnection())
            #expect(stored.status.state == .connected && stored.status.phone == "5521912345678")
            #expect(stored.status.qrCode == nil)
        }
    }

    @Test("on a terminal the rotated QR replaces the old one in place, then the number shows (tmux)")
    func redrawInPlace() async throws {
        try await PairingFixture.with(.sqlite) { f in
            let command = [CLIRunner.binary.path, "whatsapp", "connect", "--unit", "loja", "--database", f.base.databaseURL]
                .map(TerminalSession.quote).joined(separator: " ")
            var environment = f.base.cli.environment.filter { ["XDG_DATA_HOME", "HOME", "NO_COLOR", "PATH"].contains($0.key) }
            environment.merge(f.environment.filter { $0.key != "COLUMNS" }) { _, new in new }
            let terminal = try TerminalSession(command: command, environment: environment)
            func drawing(_ code: String) throws -> String {
                let fit = try QRCode.fittingTerminal(text: code, maxColumns: TerminalSession.columns)
                return fit.code.terminalString(style: .plain, quietZone: fit.quietZone).trimmingCharacters(in: .newlines)
            }
            try await terminal.waitFor("Waiting for the scan")
            let first = try #require(await f.simulator.instance("crm-loja")).qrCode
            try await terminal.waitFor(try drawing(first))
            #expect(await f.simulator.rotate(instance: "crm-loja"))
            let second = try #require(await f.simulator.instance("crm-loja")).qrCode
            let screen = try await terminal.waitFor(try drawing(second))
            #expect(!screen.contains(try drawing(first)), "the old code is still on screen:\n\(screen)")
            #expect(await f.simulator.scan(instance: "crm-loja", phone: "5511987654321"))
            let final = try await terminal.waitFor("[exit ")
            #expect(final.contains("[exit 0]") && final.contains("Connected as +55 11 9****-4321."), "\(final)")
            // Redrawn in place: the whole session (scrollback included) holds one drawing and one status line.
            let transcript = try terminal.transcript()
            #expect(!transcript.contains(try drawing(first)), "the first code was scrolled away, not replaced")
            #expect(!transcript.contains("Waiting for the scan"), "the status line was appended, not rewritten")
        }
    }

    @Test("no scan before --timeout: exit 75, the unit stays waiting")
    func timeout() async throws {
        try await PairingFixture.with(.sqlite) { f in
            let result = try await f.whatsapp(["connect", "--wait", "--timeout", "2"])
            #expect(result.status == 75, "\(result)")
            #expect(result.stderr.contains("No scan within 2 s"))
            #expect(try await f.storedConnection()?.status.state == .qr)
        }
    }

    @Test("disconnect asks, then logs out; qrcode then fetches a new code", arguments: TestDatabaseKind.available)
    func disconnectAndQRCode(kind: TestDatabaseKind) async throws {
        try await PairingFixture.with(kind) { f in
            #expect(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
            #expect(await f.simulator.scan(instance: "crm-loja", phone: "5511987654321"))
            let connectedQR = try await f.whatsapp(["qrcode"])
            #expect(connectedQR.status == 0 && connectedQR.stdout.contains("No QR code to scan"), "\(connectedQR)")

            expectCleanError(try await f.whatsapp(["disconnect"]), status: 1, mentions: "--yes")
            #expect(await f.simulator.instance("crm-loja")?.state == .open)

            let bye = try await f.whatsapp(["disconnect", "--yes", "--json"])
            #expect(bye.status == 0, "\(bye)")
            let view = try #require(bye.json as? [String: Any])
            #expect(view["state"] as? String == "disconnected")
            #expect(view["statusReason"] as? String == "logged_out")
            #expect(view["disconnectedAt"] is String)
            #expect(await f.simulator.instance("crm-loja")?.state == .close)

            let png = f.base.folder.appendingPathComponent("fresh.png").path
            let fresh = try await f.whatsapp(["qrcode", "--json", "--png", png])
            #expect(fresh.status == 0, "\(fresh)")
            let code = try #require((fresh.json as? [String: Any])?["qr"] as? String)
            #expect(code == (await f.simulator.instance("crm-loja"))?.qrCode)
            #expect(try await decodePNG(png) == code)
            #expect(try await f.storedConnection()?.status.state == .qr)

            let human = try await f.whatsapp(["qrcode"])
            #expect(human.stdout.contains(try Self.drawing(try #require(await f.simulator.instance("crm-loja")).qrCode)))
        }
    }

    @Test("status --watch prints each change as it happens and stops cleanly on SIGTERM")
    func watch() async throws {
        try await PairingFixture.with(.sqlite) { f in
            #expect(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
            var environment = f.base.cli.environment
            environment.merge(f.environment) { _, new in new }
            let watching = try BackgroundCLI(
                ["whatsapp", "status", "--unit", "loja", "--watch", "--json", "--database", f.base.databaseURL], environment: environment)
            #expect(await watching.waitFor { $0.contains { $0.contains(#""state":"qr""#) } }, "\(watching.stdout)")
            #expect(await f.simulator.scan(instance: "crm-loja", phone: "5511987654321"))
            #expect(await watching.waitFor { $0.contains { $0.contains(#""state":"connected""#) } }, "\(watching.stdout)")
            #expect(await watching.stop() == 0, "\(watching.stderr)")
            #expect(watching.lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }, "one JSON object per line")
            #expect(!watching.stdout.contains("987654321"), "the number is masked")
        }
    }

    @Test("connect after a disconnect reconnects the same instance, without deleting it")
    func reconnect() async throws {
        try await PairingFixture.with(.sqlite) { f in
            #expect(try await f.whatsapp(["connect", "--no-wait"]).status == 0)
            #expect(await f.simulator.scan(instance: "crm-loja"))
            #expect(try await f.whatsapp(["disconnect", "--yes"]).status == 0)
            #expect(await f.simulator.instance("crm-loja")?.state == .close)
            let again = try #require(try await f.whatsapp(["connect", "--no-wait", "--json"]).json as? [String: Any])
            #expect(again["createdInstance"] as? Bool == false)
            #expect((again["connection"] as? [String: Any])?["state"] as? String == "qr")
            #expect(again["qr"] as? String == (await f.simulator.instance("crm-loja"))?.qrCode)
        }
    }

    @Test("--reset deletes the instance and starts over with a new webhook secret")
    func reset() async throws {
        try await PairingFixture.with(.sqlite) { f in
            let first = try #require(try await f.whatsapp(["connect", "--no-wait", "--json"]).json as? [String: Any])
            let again = try await f.whatsapp(["connect", "--no-wait", "--json", "--reset"])
            let second = try #require(again.json as? [String: Any], "\(again)")
            #expect(second["createdInstance"] as? Bool == true)
            #expect(second["webhookURL"] as? String != first["webhookURL"] as? String)
            #expect(await f.simulator.instance("crm-loja")?.webhookURL == second["webhookURL"] as? String)
        }
    }

    private func waitForPNG(_ path: String, _ code: String) async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path), (try? await decodePNG(path)) == code { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the PNG never showed the rotated code")
    }

    private func waitForStoredCode(_ f: PairingFixture, _ code: String) async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try await f.storedConnection()?.status.qrCode == code { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("crm never recorded the code")
    }
}
