import CRMCore
import CRMProviders
import Crypto
import Foundation
import Testing

@Suite("Webhook trigger bodies")
struct WebhookTriggerTests {
    static let instance = "unit-acme"
    static let contact = "5511999990001"
    static let owner = "5511999990000"
    static let secret = "test-app-secret-acme-3f9c1e"
    static let now = Date(timeIntervalSince1970: 1_761_048_000.25)

    private func request(_ event: WebhookTriggerEvent, externalId: String = "MSG-1", owner: String? = owner) throws -> WebhookTriggerRequest {
        try event.request(
            instance: Self.instance, contactPhone: Self.contact, externalId: externalId,
            metaAppSecret: event.provider == .meta ? Self.secret : nil, accountPhone: owner, now: Self.now
        )
    }

    private func parse(_ event: WebhookTriggerEvent, _ body: Data) throws -> [WebhookEvent] {
        let parser: any WebhookParser = switch event.provider {
        case .evolution: EvolutionWebhookParser()
        case .meta: MetaWebhookParser()
        case .zapi: ZAPIWebhookParser()
        }
        return try parser.parse(body)
    }

    @Test("The events `crm webhook trigger --list` shows, each with its provider and a one-line summary")
    func list() {
        let required: Set = [
            "evolution.messages.upsert", "evolution.messages.update", "evolution.connection.update",
            "evolution.qrcode.updated", "evolution.send.message", "meta.messages", "meta.statuses",
            "zapi.received", "zapi.status", "zapi.connected", "zapi.disconnected",
        ]
        #expect(required.isSubset(of: Set(WebhookTriggerEvent.allCases.map(\.rawValue))))
        for event in WebhookTriggerEvent.allCases {
            #expect(event.rawValue.hasPrefix(event.provider.rawValue + "."))
            #expect(WebhookTriggerEvent(rawValue: event.rawValue) == event)
            #expect(!event.summary.isEmpty && !event.summary.contains("\n"))
        }
    }

    @Test("Every body parses with the provider's own parser into one event of the expected kind", arguments: WebhookTriggerEvent.allCases)
    func parsesIntoExpectedKind(event: WebhookTriggerEvent) throws {
        let events = try parse(event, try request(event).body)
        #expect(events.count == 1)
        let parsed = try #require(events.first)
        #expect(parsed.kind == event.expectedKind)
        #expect(parsed.instance == Self.instance)
    }

    @Test("Messages carry the id, the contact's phone, direction and text", arguments: [
        (WebhookTriggerEvent.evolutionMessagesUpsert, false), (.evolutionSendMessage, true), (.metaMessages, false), (.zapiReceived, false),
    ])
    func messages(event: WebhookTriggerEvent, fromMe: Bool) throws {
        let message = try #require(try parse(event, try request(event, externalId: "ID-42").body).first?.inboundMessage)
        #expect(message.externalId == "ID-42")
        #expect(message.from == Self.contact)
        #expect(message.fromMe == fromMe)
        #expect(!message.isGroup)
        #expect(message.messageType == .text)
        #expect(message.text == (fromMe ? "Olá! Seu pedido foi confirmado e sai para entrega no sábado. 🚚" : "Olá! Vocês entregam no sábado? 📦"))
        // The account's own messages carry no sender name (Evolution's "Você" is a placeholder).
        #expect(message.senderName == (fromMe ? nil : "Cliente Teste"))
        // Z-API writes milliseconds; Evolution and Meta whole seconds.
        #expect(message.timestamp == Date(timeIntervalSince1970: event.provider == .zapi ? 1_761_048_000.25 : 1_761_048_000))
    }

    @Test("Without an id every trigger is a new message, never a dedupe", arguments: WebhookTriggerEvent.allCases.filter(\.usesExternalId))
    func freshIdPerCall(event: WebhookTriggerEvent) throws {
        let requests = try (0..<2).map { _ in
            try event.request(instance: Self.instance, contactPhone: Self.contact, metaAppSecret: Self.secret)
        }
        let ids = try requests.map { request in try #require(try parse(event, request.body).first.map(Self.externalId)) }
        #expect(ids[0] != ids[1])
        #expect(ids == requests.map(\.externalId))
    }

    private static func externalId(_ event: WebhookEvent) -> String? {
        event.inboundMessage?.externalId ?? event.statusChange?.externalId
    }

    @Test("Connection and QR requests carry no message id", arguments: WebhookTriggerEvent.allCases.filter { !$0.usesExternalId })
    func noIdForConnections(event: WebhookTriggerEvent) throws {
        #expect(try request(event).externalId == nil)
    }

    @Test("Receipts mark the given message delivered", arguments: [
        WebhookTriggerEvent.evolutionMessagesUpdate, .metaStatuses, .zapiStatus,
    ])
    func receipts(event: WebhookTriggerEvent) throws {
        let change = try #require(try parse(event, try request(event, externalId: "3EB0SENT").body).first?.statusChange)
        #expect(change.externalId == "3EB0SENT")
        #expect(change.status == .delivered)
        #expect(change.errorCode == nil)
    }

    @Test("Connection events connect with the unit's number when known, or disconnect", arguments: [
        WebhookTriggerEvent.evolutionConnectionUpdate, .zapiConnected,
    ])
    func connected(event: WebhookTriggerEvent) throws {
        let known = try #require(try parse(event, try request(event).body).first?.connectionChange)
        #expect(known.state == .connected)
        #expect(known.reason == .scanCompleted)
        #expect(known.phone == Self.owner)
        let unknown = try #require(try parse(event, try request(event, owner: nil).body).first?.connectionChange)
        #expect(unknown.state == .connected)
        #expect(unknown.phone == nil)
    }

    @Test("zapi.disconnected disconnects without a logout")
    func disconnected() throws {
        let change = try #require(try parse(.zapiDisconnected, try request(.zapiDisconnected).body).first?.connectionChange)
        #expect(change.state == .disconnected)
        #expect(change.reason == .disconnected)
    }

    @Test("A QR update carries a fresh Baileys code on every call")
    func qrCode() throws {
        let first = try #require(try parse(.evolutionQRCodeUpdated, try request(.evolutionQRCodeUpdated).body).first?.qrCodeUpdate)
        let second = try #require(try parse(.evolutionQRCodeUpdated, try request(.evolutionQRCodeUpdated).body).first?.qrCodeUpdate)
        #expect(first.qr.hasPrefix("2@"))
        #expect(first.qr.split(separator: ",").count == 4)
        #expect(first.pairingCode == nil)
        #expect(first.qr != second.qr)
    }

    @Test("Meta bodies are signed over their exact bytes; others are not signed", arguments: WebhookTriggerEvent.allCases)
    func signatures(event: WebhookTriggerEvent) throws {
        let request = try request(event)
        #expect(request.pathSuffix == nil)
        #expect(request.headers.first { $0.0 == "Content-Type" }?.1 == "application/json")
        let signature = request.headers.first { $0.0.lowercased() == "x-hub-signature-256" }?.1
        guard event.provider == .meta else {
            #expect(signature == nil)
            return
        }
        let mac = HMAC<SHA256>.authenticationCode(for: request.body, using: SymmetricKey(data: Data(Self.secret.utf8)))
        let expected = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
        #expect(signature == expected)
        var tampered = request.body
        tampered[tampered.startIndex + 2] ^= 0x01
        let tamperedMac = HMAC<SHA256>.authenticationCode(for: tampered, using: SymmetricKey(data: Data(Self.secret.utf8)))
        #expect(signature != "sha256=" + tamperedMac.map { String(format: "%02x", $0) }.joined())
    }

    @Test("The signing function reproduces the fixtures' published signatures")
    func fixtureSignatures() throws {
        let table = try JSONDecoder().decode(SignatureTable.self, from: Fixtures.data("providers", "meta/signatures.json"))
        #expect(!table.signatures.isEmpty)
        for (file, signature) in table.signatures {
            #expect(MetaSignature.sign(body: try Fixtures.data("providers", file), appSecret: table.appSecret) == signature, "\(file)")
        }
    }

    private struct SignatureTable: Decodable {
        var appSecret: String
        var signatures: [String: String]
    }

    @Test("A Meta trigger without the app secret says the unit's Meta credentials are needed", arguments: [nil, ""] as [String?])
    func metaNeedsSecret(secret: String?) {
        for event in WebhookTriggerEvent.allCases where event.provider == .meta {
            #expect {
                _ = try event.request(instance: Self.instance, contactPhone: Self.contact, externalId: "w", metaAppSecret: secret)
            } throws: { error in
                (error as? WebhookTriggerError) == .missingMetaAppSecret(event)
                    && "\(error)".contains("Meta credentials") && "\(error)".contains(event.rawValue)
            }
        }
    }

    @Test("Bad inputs are refused without echoing the phone")
    func badInputs() {
        #expect(throws: WebhookTriggerError.invalidContactPhone) {
            _ = try WebhookTriggerEvent.zapiReceived.request(instance: "i", contactPhone: "+55 11 98765-4321", externalId: "x", metaAppSecret: nil)
        }
        #expect(!WebhookTriggerError.invalidContactPhone.description.contains("98765"))
        #expect(throws: WebhookTriggerError.emptyInstance) {
            _ = try WebhookTriggerEvent.zapiConnected.request(instance: "", contactPhone: "1", externalId: "x", metaAppSecret: nil)
        }
        #expect(throws: WebhookTriggerError.emptyExternalId) {
            _ = try WebhookTriggerEvent.evolutionMessagesUpsert.request(instance: "i", contactPhone: "1", externalId: "", metaAppSecret: nil)
        }
        // Connection events do not need a contact.
        #expect(throws: Never.self) {
            _ = try WebhookTriggerEvent.zapiDisconnected.request(instance: "i", contactPhone: "", externalId: "", metaAppSecret: nil)
        }
    }
}
