import CRMCore
import CRMSimulator
import CRMTestSupport
import Foundation
import NIOHTTP1
import QRCode
import Testing

/// A unit's WhatsApp number over the API, against the Evolution simulator on loopback, on each
/// database: connect (the QR as text and as a PNG), status, a fresh QR, the deprecated send
/// alias, disconnect.
@Suite("HTTP API: WhatsApp connections")
struct APIWhatsAppTests {
    @Test("connect answers the QR as text and PNG; after the scan, status says connected; qrcode then has none; disconnect logs out",
          arguments: TestDatabaseKind.available)
    func pairAndDisconnect(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind) { f in
            let loja = try #require(f.units["loja"])
            let token = try await f.token("admin@loja.example")
            let path = "/units/\(loja)/whatsapp"

            let none = try await f.request(.GET, "\(path)/status", token: token)
            #expect(none.status == 409 && none.code == "no_connection", "\(none)")

            let connected = try await f.request(.POST, "\(path)/connect", token: token)
            #expect(connected.status == 200, "\(connected)")
            let qr = try #require(connected.json["qr"] as? String)
            let instance = try #require(await f.outbound.pairing.simulator.instance("crm-loja"))
            #expect(qr == instance.qrCode, "the simulator's current code")
            #expect(instance.webhookURL?.hasPrefix("http://127.0.0.1:9/webhooks/whatsapp/evolution/") == true)
            let image = try #require(connected.json["qrImage"] as? String)
            #expect(image.hasPrefix("data:image/png;base64,"))
            let png = try #require(Data(base64Encoded: String(image.dropFirst("data:image/png;base64,".count))))
            let drawn = try QRCode(text: qr).png(scale: 8, quietZone: 4)
            #expect(Array(png) == drawn, "the QRCode target's drawing of the text")
            let connection = try #require(connected.json["connection"] as? [String: Any])
            #expect(connection["state"] as? String == "qr" && connection["statusReason"] as? String == "waiting_scan", "\(connection)")
            #expect(connection["provider"] as? String == "evolution" && connection["unitId"] as? String == loja)
            #expect(connected.json["createdInstance"] as? Bool == true)
            #expect(connected.json["webhookUrl"] is NSNull, "only Meta's callback URL is handed over")

            let fresh = try await f.request(.GET, "\(path)/qrcode", token: token)
            #expect(fresh.status == 200 && (fresh.json["qr"] as? String)?.isEmpty == false, "\(fresh)")

            #expect(await f.outbound.pairing.simulator.scan(instance: "crm-loja", phone: "5511987654321"))
            let status = try await f.request(.GET, "\(path)/status", token: token)
            #expect(status.status == 200 && status.json["source"] as? String == "provider", "\(status)")
            let now = try #require(status.json["connection"] as? [String: Any])
            #expect(now["state"] as? String == "connected" && now["phone"] as? String == "5511987654321", "\(now)")
            #expect(try await f.outbound.pairing.storedConnection()?.status.state == .connected)

            let noCode = try await f.request(.GET, "\(path)/qrcode", token: token)
            #expect(noCode.status == 200 && noCode.json["qr"] is NSNull && noCode.json["qrImage"] is NSNull, "\(noCode)")

            // The deprecated alias queues like POST /messages, with a Deprecation header.
            let alias = try await f.request(
                .POST, "\(path)/send", json: ["phone": APIFixture.contact, "message": "Pelo alias", "clientMessageId": "alias-1"],
                token: token)
            #expect(alias.status == 202 && alias.json["unitId"] as? String == loja, "\(alias)")
            #expect(alias.headers["deprecation"] == "true")
            #expect(alias.headers["link"] == "</messages>; rel=\"successor-version\"")
            let replay = try await f.request(
                .POST, "/messages", json: ["phone": APIFixture.contact, "message": "Pelo alias", "clientMessageId": "alias-1"], token: token)
            #expect(replay.json["id"] as? String == alias.json["id"] as? String && replay.headers["idempotent-replayed"] == "true")

            let gone = try await f.request(.DELETE, "\(path)/disconnect", token: token)
            #expect(gone.status == 200, "\(gone)")
            #expect((gone.json["connection"] as? [String: Any])?["state"] as? String == "disconnected")
            #expect(await f.outbound.pairing.simulator.instance("crm-loja")?.state.rawValue == "close")
            // Disconnecting again is no error (the adapter takes "not connected" as logged out).
            let again = try await f.request(.DELETE, "\(path)/disconnect", token: token)
            #expect(again.status == 200 && (again.json["connection"] as? [String: Any])?["state"] as? String == "disconnected", "\(again)")
            #expect(try await f.outbound.pairing.storedConnection()?.status.state == .disconnected)
        }
    }

    @Test("a provider that cannot be reached: status falls back to the database, qrcode is a 502 without internals",
          arguments: TestDatabaseKind.available)
    func providerFaults(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind, connect: true) { f in
            let loja = try #require(f.units["loja"])
            let token = try await f.token("root@example.com")
            await f.outbound.pairing.simulator.stop()
            let status = try await f.request(.GET, "/units/\(loja)/whatsapp/status", token: token)
            #expect(status.status == 200 && status.json["source"] as? String == "database", "\(status)")
            #expect((status.json["connection"] as? [String: Any])?["state"] as? String == "connected")
            let code = try await f.request(.GET, "/units/\(loja)/whatsapp/qrcode", token: token)
            #expect(code.status == 502 && code.code == "provider_unavailable", "\(code)")
            #expect(!code.text.contains("127.0.0.1"), "no provider address in the answer")
        }
    }
}
