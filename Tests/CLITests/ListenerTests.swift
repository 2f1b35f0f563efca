import CRMCore
import CRMProviders
import CRMSimulator
import CRMTestSupport
import Foundation
import SQLKit
import Testing

/// `crm webhook serve` end to end: the built listener, the simulator posting real-shaped
/// webhooks to it over loopback, assertions on the database and the listener's log.
@Suite("crm webhook serve (end to end)")
struct ListenerTests {
    static let contact = "5511976543210"
    static let account = "5511987654321"

    @Test("pairing, an inbound message and its retries arrive once; nothing secret in the log", arguments: TestDatabaseKind.available)
    func evolutionFlow(kind: TestDatabaseKind) async throws {
        try await ListenerFixture.with(kind) { f in
            let connect = try await f.whatsapp(["connect", "--no-wait", "--json"])
            #expect(connect.status == 0, "\(connect)")
            let url = try #require((connect.json as? [String: Any])?["webhookURL"] as? String)
            #expect(url.hasPrefix(f.listener.baseURL))
            // The simulator posts qrcode.updated on creation; the scan then posts connection.update open.
            try await f.eventually("the QR webhook") {
                try await f.count("SELECT count(*) AS n FROM webhook_events WHERE event_type = 'qrUpdated' AND result = 'applied'") >= 1
            }
            #expect(await f.pairing.simulator.scan(instance: "crm-loja", phone: Self.account))
            try await f.eventually("connected through the webhook") {
                try await f.pairing.storedConnection()?.status.state == .connected
            }
            #expect(try await f.pairing.storedConnection()?.status.phone == Self.account)

            let externalId = try #require(await f.pairing.simulator.inbound(instance: "crm-loja", from: Self.contact, text: "Olá, quanto custa?", pushName: "Maria"))
            try await f.eventually("the inbound message") {
                try await f.count("SELECT count(*) AS n FROM messages") == 1
            }
            let message = try #require(try await f.rows("""
                SELECT m.direction, m.body, m.status, m.external_id, m.provider, c.phone, c.name
                FROM messages m JOIN contacts c ON c.id = m.contact_id
                """).first)
            #expect(try message.decode(column: "direction", as: String.self) == "inbound")
            #expect(try message.decode(column: "body", as: String.self) == "Olá, quanto custa?")
            #expect(try message.decode(column: "status", as: String.self) == "received")
            #expect(try message.decode(column: "external_id", as: String.self) == externalId)
            #expect(try message.decode(column: "phone", as: String.self) == Self.contact)
            #expect(try message.decode(column: "name", as: String.self) == "Maria")
            #expect(try await f.count("SELECT count(*) AS n FROM conversations WHERE last_inbound_at IS NOT NULL") == 1)

            // The provider retries the same body ten times at once: one message, every answer 200.
            let body = try #require(try await f.rows(
                "SELECT body FROM webhook_events WHERE event_type = 'inboundMessage'").first?.decode(column: "body", as: String.self))
            let path = ListenerFixture.path(of: url)
            let replies = try await withThrowingTaskGroup(of: ListenerFixture.Reply.self) { group in
                for _ in 0..<10 { group.addTask { try await f.post(path, body: Data(body.utf8)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == 200 }, "\(replies.map(\.status))")
            #expect(replies.allSatisfy { $0.json["result"] as? String == "duplicate" }, "\(replies.map(\.text))")
            #expect(try await f.count("SELECT count(*) AS n FROM messages") == 1)

            let log = f.listener.logText
            #expect(log.contains("/webhooks/whatsapp/evolution/****"), "requests are logged with the secret masked")
            let secret = String(path.split(separator: "/").last ?? "")
            for leak in [secret, Self.contact, Self.account, PairingFixture.secretKey, PairingFixture.apiKey] {
                #expect(!log.contains(leak), "the listener log leaks a secret or a phone number")
            }
        }
    }

    @Test("receipts move the message forward only; a receipt before the message waits for it")
    func receipts() async throws {
        try await ListenerFixture.with(.sqlite) { f in
            let connect = try #require(try await f.whatsapp(["connect", "--no-wait", "--json"]).json as? [String: Any])
            let path = ListenerFixture.path(of: try #require(connect["webhookURL"] as? String))
            #expect(await f.pairing.simulator.scan(instance: "crm-loja", phone: Self.account))
            try await f.eventually("connected") { try await f.pairing.storedConnection()?.status.state == .connected }

            // "delivered" for a message crm has not seen yet: kept.
            let early = try WebhookTriggerEvent.evolutionMessagesUpdate.request(
                instance: "crm-loja", contactPhone: Self.contact, externalId: "3EB0AAAABBBBCCCCDDDD", metaAppSecret: nil)
            #expect(try await f.post(path, body: early.body).status == 200)
            #expect(try await f.count("SELECT count(*) AS n FROM pending_message_statuses") == 1)
            // Then the echo of the send (fromMe): stored as sent, and the waiting receipt applied.
            let echo = try WebhookTriggerEvent.evolutionSendMessage.request(
                instance: "crm-loja", contactPhone: Self.contact, externalId: "3EB0AAAABBBBCCCCDDDD", metaAppSecret: nil)
            #expect(try await f.post(path, body: echo.body).status == 200)
            let row = try #require(try await f.rows(
                "SELECT direction, status, delivered_at FROM messages WHERE external_id = '3EB0AAAABBBBCCCCDDDD'").first)
            #expect(try row.decode(column: "direction", as: String.self) == "outbound")
            #expect(try row.decode(column: "status", as: String.self) == "delivered")
            #expect(try await f.count("SELECT count(*) AS n FROM pending_message_statuses") == 0)

            // A send through the simulator: its echo and its receipts (server ack, delivered, read) arrive.
            let sent = try await ListenerTests.sendThroughSimulator(f, to: Self.contact, text: "Obrigado!")
            try await f.eventually("the read receipt") {
                try await f.rows("SELECT status FROM messages WHERE external_id = '\(sent)'").first?
                    .decode(column: "status", as: String.self) == "read"
            }
            let read = try #require(try await f.rows("SELECT delivered_at, read_at FROM messages WHERE external_id = '\(sent)'").first)
            #expect(try !read.decodeNil(column: "delivered_at") && !read.decodeNil(column: "read_at"))
        }
    }

    /// `POST /message/sendText` on the simulator, as crm send will; returns the message id.
    static func sendThroughSimulator(_ f: ListenerFixture, to: String, text: String) async throws -> String {
        let client = try EvolutionClient(configuration: EvolutionClientConfiguration(
            baseURL: f.pairing.simulatorURL, apiKey: PairingFixture.apiKey))
        let id = try await client.sendText(instance: "crm-loja", to: to, text: text)
        try await client.shutdown()
        return id
    }
}
