import CRMCore
import CRMProviders
import Foundation
import Testing

@Suite("Evolution webhook parser")
struct EvolutionWebhookParserTests {
    let parser = EvolutionWebhookParser()

    // MARK: Receipts

    @Test("messages.update statuses map onto the CRM's statuses", arguments: [
        ("PENDING", MessageStatus.queued),
        ("SERVER_ACK", .sent),
        ("DELIVERY_ACK", .delivered),
        ("READ", .read),
        ("PLAYED", .read),
        ("ERROR", .failed),
    ])
    func receiptStatusMapping(evolutionStatus: String, expected: MessageStatus) throws {
        let body = TestBodies.evolution(
            event: "messages.update",
            data: #"{"keyId":"3EB0A1","remoteJid":"5511999990001@s.whatsapp.net","fromMe":true,"status":"\#(evolutionStatus)"}"#
        )
        let events = try parser.parse(body)
        #expect(events == [.statusChanged(MessageStatusChange(instance: "unit-acme", externalId: "3EB0A1", status: expected))])
    }

    @Test("Receipts that change no outbound message are ignored", arguments: [
        #"{"keyId":"X","remoteJid":"5511999990001@s.whatsapp.net","fromMe":true,"status":"DELETED"}"#,
        #"{"keyId":"X","remoteJid":"5511999990001@s.whatsapp.net","fromMe":true,"status":"SOMETHING_NEW"}"#,
        #"{"keyId":"X","remoteJid":"5511999990001@s.whatsapp.net","fromMe":true}"#,
        #"{"keyId":"X","remoteJid":"5511999990001@s.whatsapp.net","fromMe":false,"status":"READ"}"#,
        #"{"keyId":"X","remoteJid":"5511999990001@s.whatsapp.net","fromMe":false,"status":"DELIVERY_ACK"}"#,
        #"{"keyId":"X","remoteJid":"5511999990001@s.whatsapp.net","status":"READ"}"#,
        #"{"keyId":"X","remoteJid":"status@broadcast","fromMe":true,"status":"READ"}"#,
    ])
    func receiptsIgnored(data: String) throws {
        #expect(try parser.parse(TestBodies.evolution(event: "messages.update", data: data)).isEmpty)
    }

    @Test("A v1 receipt carries the message id in `id`, never Evolution's database `messageId`")
    func receiptIds() throws {
        let v1 = TestBodies.evolution(
            event: "messages.update",
            data: #"{"id":"BAE5F2","remoteJid":"5511999990001@s.whatsapp.net","fromMe":true,"status":"READ","datetime":1761130050123}"#
        )
        let change = try #require(try parser.parse(v1).first?.statusChange)
        #expect(change.externalId == "BAE5F2")
        #expect(change.timestamp == Date(timeIntervalSince1970: 1_761_130_050.123))

        let dbIdOnly = TestBodies.evolution(
            event: "messages.update",
            data: #"{"messageId":"cmh0k3x9a","remoteJid":"5511999990001@s.whatsapp.net","fromMe":true,"status":"READ"}"#
        )
        #expect(throws: WebhookParseError.missingField(path: "data.keyId")) { try parser.parse(dbIdOnly) }
    }

    // MARK: Contacts, LIDs and groups

    @Test("The contact's phone and LID come from whichever key fields carry them", arguments: [
        // (key, from, lid)
        (#"{"remoteJid":"5511999990001@s.whatsapp.net","remoteJidAlt":"128406231990285@lid","fromMe":false,"id":"A1"}"#,
         "5511999990001", "128406231990285"),
        (#"{"remoteJid":"128406231990285@lid","remoteJidAlt":"5511999990001@s.whatsapp.net","fromMe":false,"id":"A1","addressingMode":"lid"}"#,
         "5511999990001", "128406231990285"),
        (#"{"remoteJid":"5511999990001@s.whatsapp.net","previousRemoteJid":"128406231990285@lid","senderPn":"5511999990001@s.whatsapp.net","fromMe":false,"id":"A1"}"#,
         "5511999990001", "128406231990285"),
        (#"{"remoteJid":"128406231990285@lid","senderPn":"5511999990001@s.whatsapp.net","fromMe":false,"id":"A1"}"#,
         "5511999990001", "128406231990285"),
        (#"{"remoteJid":"128406231990285@lid","fromMe":false,"id":"A1"}"#, nil, "128406231990285"),
        (#"{"remoteJid":"5511999990001:12@s.whatsapp.net","fromMe":false,"id":"A1"}"#, "5511999990001", nil),
        (#"{"remoteJid":"5511999990001@c.us","fromMe":false,"id":"A1"}"#, "5511999990001", nil),
    ] as [(String, String?, String?)])
    func directContactAddressing(key: String, from: String?, lid: String?) throws {
        let message = try #require(try parser.parse(TestBodies.evolutionUpsert(key: key)).first?.inboundMessage)
        #expect(message.from == from)
        #expect(message.lid == lid)
        #expect(message.isGroup == false)
        #expect(message.groupId == nil)
    }

    @Test("On our own messages the envelope's own number is never taken as the contact's")
    func ownNumberIsNotTheContact() throws {
        let lidChat = TestBodies.evolutionUpsert(
            key: #"{"remoteJid":"207543197806123@lid","remoteJidAlt":"5511999990000@s.whatsapp.net","fromMe":true,"id":"3EB0C1"}"#
        )
        let message = try #require(try parser.parse(lidChat).first?.inboundMessage)
        #expect(message.from == nil)
        #expect(message.lid == "207543197806123")
        #expect(message.fromMe)

        // "Message yourself": the chat JID itself is our number, and that is the contact.
        let selfChat = TestBodies.evolutionUpsert(key: #"{"remoteJid":"5511999990000@s.whatsapp.net","fromMe":true,"id":"3EB0C2"}"#)
        #expect(try parser.parse(selfChat).first?.inboundMessage?.from == "5511999990000")
    }

    @Test("Group messages come from the participant and name the group")
    func groupSender() throws {
        let body = TestBodies.evolutionUpsert(
            key: #"{"remoteJid":"120363041234567890@g.us","fromMe":false,"id":"455E","participant":"207543197806123@lid","participantAlt":"5511999990002@s.whatsapp.net"}"#
        )
        let message = try #require(try parser.parse(body).first?.inboundMessage)
        #expect(message.isGroup)
        #expect(message.groupId == "120363041234567890")
        #expect(message.from == "5511999990002")
        #expect(message.lid == "207543197806123")
    }

    @Test("Stories, channels, broadcast lists and unknown servers are not conversations", arguments: [
        "status@broadcast", "1761130000@broadcast", "120363198765432109@newsletter", "13135550002@bot",
    ])
    func nonConversationChatsIgnored(remoteJid: String) throws {
        let body = TestBodies.evolutionUpsert(key: #"{"remoteJid":"\#(remoteJid)","fromMe":false,"id":"A1","participant":"5511999990001@s.whatsapp.net"}"#)
        #expect(try parser.parse(body).isEmpty)
    }

    @Test("Brazilian numbers without the ninth digit stay 12 digits")
    func brazilianTwelveDigits() throws {
        let body = TestBodies.evolutionUpsert(key: #"{"remoteJid":"551188887777@s.whatsapp.net","fromMe":false,"id":"A1"}"#)
        #expect(try parser.parse(body).first?.inboundMessage?.from == "551188887777")
    }

    // MARK: Content

    @Test("Text is kept code point for code point")
    func textIsNotNormalized() throws {
        // Decomposed "é", a flag, and spaces that trimming would drop.
        let decomposed = "Cafe\u{301} \u{1F1E7}\u{1F1F7}  trailing  "
        let json = try String(decoding: JSONEncoder().encode(decomposed), as: UTF8.self)
        let body = TestBodies.evolutionUpsert(key: #"{"remoteJid":"5511999990001@s.whatsapp.net","fromMe":false,"id":"A1"}"#,
                                              message: #"{"conversation":\#(json)}"#)
        let text = try #require(try parser.parse(body).first?.inboundMessage?.text)
        #expect(Array(text.unicodeScalars) == Array(decomposed.unicodeScalars))
    }

    @Test("Upserts that are not new messages are ignored", arguments: [
        #"{"protocolMessage":{"key":{"id":"A0"},"type":"REVOKE"}}"#,
        #"{"editedMessage":{"message":{"protocolMessage":{"key":{"id":"A0"},"type":"MESSAGE_EDIT"}}}}"#,
        #"{"pollUpdateMessage":{"pollCreationMessageKey":{"id":"A0"}}}"#,
        #"{"senderKeyDistributionMessage":{"groupId":"1203@g.us"},"messageContextInfo":{}}"#,
        "null",
    ])
    func controlUpsertsIgnored(message: String) throws {
        let body = TestBodies.evolutionUpsert(key: #"{"remoteJid":"5511999990001@s.whatsapp.net","fromMe":false,"id":"A1"}"#, message: message)
        #expect(try parser.parse(body).isEmpty)
    }

    @Test("A view-once image is read through its wrapper")
    func viewOnceWrapper() throws {
        let body = TestBodies.evolutionUpsert(
            key: #"{"remoteJid":"5511999990001@s.whatsapp.net","fromMe":false,"id":"A1"}"#,
            message: #"{"viewOnceMessageV2":{"message":{"imageMessage":{"caption":"só uma vez","jpegThumbnail":{"0":255,"1":216}}}}}"#
        )
        let message = try #require(try parser.parse(body).first?.inboundMessage)
        #expect(message.messageType == .image)
        #expect(message.text == "só uma vez")
    }

    @Test("Message timestamps are read from numbers, strings and protobuf Long objects", arguments: [
        "1761130000", #""1761130000""#, #"{"low":1761130000,"high":0,"unsigned":true}"#,
    ])
    func timestamps(timestamp: String) throws {
        let body = TestBodies.evolution(
            event: "messages.upsert",
            data: #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","fromMe":false,"id":"A1"},"message":{"conversation":"x"},"messageTimestamp":\#(timestamp)}"#
        )
        #expect(try parser.parse(body).first?.inboundMessage?.timestamp == Date(timeIntervalSince1970: 1_761_130_000))
    }

    @Test("An odd timestamp does not reject the message")
    func oddTimestamp() throws {
        let body = TestBodies.evolution(
            event: "messages.upsert",
            data: #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","fromMe":false,"id":"A1"},"message":{"conversation":"x"},"messageTimestamp":[true]}"#
        )
        let message = try #require(try parser.parse(body).first?.inboundMessage)
        #expect(message.timestamp == nil)
    }

    @Test("Our own send's echo (send.message) is a fromMe message")
    func sendMessageEcho() throws {
        let body = TestBodies.evolution(
            event: "send.message",
            data: #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","fromMe":true,"id":"3EB0"},"pushName":"Você","status":"PENDING","message":{"conversation":"Olá"}}"#
        )
        let message = try #require(try parser.parse(body).first?.inboundMessage)
        #expect(message.fromMe)
        #expect(message.externalId == "3EB0")
        #expect(message.senderName == nil, "pushName on our own messages is the owner's, not the contact's")
    }

    @Test("A data array yields one event per item, in order")
    func dataArray() throws {
        let item = { (id: String) in
            #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","fromMe":false,"id":"\#(id)"},"message":{"conversation":"\#(id)"}}"#
        }
        let body = TestBodies.evolution(event: "messages.upsert", data: "[\(item("A1")),\(item("A2"))]")
        #expect(try parser.parse(body).compactMap(\.inboundMessage?.externalId) == ["A1", "A2"])
    }

    // MARK: Connection

    @Test("Connection states and reasons", arguments: [
        (#"{"state":"connecting","statusReason":200}"#, ConnectionState.connecting, nil, 200),
        (#"{"state":"close","statusReason":401}"#, .disconnected, .loggedOut, 401),
        (#"{"state":"close","statusReason":428}"#, .disconnected, .disconnected, 428),
        (#"{"state":"close","statusReason":515}"#, .disconnected, .disconnected, 515),
        (#"{"state":"refused","statusReason":428}"#, .disconnected, .disconnected, 428),
        (#"{"state":"open","statusReason":200,"wuid":"5511999990000:3@s.whatsapp.net"}"#, .connected, .scanCompleted, 200),
    ] as [(String, ConnectionState, ConnectionStatusReason?, Int?)])
    func connectionUpdates(data: String, state: ConnectionState, reason: ConnectionStatusReason?, code: Int?) throws {
        let change = try #require(try parser.parse(TestBodies.evolution(event: "connection.update", data: data)).first?.connectionChange)
        #expect(change.state == state)
        #expect(change.reason == reason)
        #expect(change.code == code)
        #expect(change.phone == (state == .connected ? "5511999990000" : nil))
    }

    @Test("QR codes, the QR limit, instance status and logout")
    func qrAndLifecycle() throws {
        let qr = TestBodies.evolution(event: "qrcode.updated", data: #"{"qrcode":{"instance":"unit-acme","pairingCode":"","code":"2@abc,def","base64":"data:image/png;base64,AA=="}}"#)
        #expect(try parser.parse(qr) == [.qrUpdated(QRCodeUpdate(instance: "unit-acme", qr: "2@abc,def", pairingCode: nil))])

        let limit = TestBodies.evolution(event: "qrcode.updated", data: #"{"message":"QR code limit reached, please login again","statusCode":500}"#)
        #expect(try parser.parse(limit) == [.connectionChanged(ConnectionChange(instance: "unit-acme", state: .disconnected, reason: .disconnected, code: 500))])

        let created = TestBodies.evolution(event: "status.instance", data: #"{"instance":"unit-acme","status":"created"}"#)
        #expect(try parser.parse(created).isEmpty)

        let logout = TestBodies.evolution(event: "logout.instance", data: "null")
        #expect(try parser.parse(logout) == [.connectionChanged(ConnectionChange(instance: "unit-acme", state: .disconnected, reason: .loggedOut))])
    }

    // MARK: Webhook by events

    @Test("The URL's event name is used when the body has none, in any spelling", arguments: [
        "messages-upsert", "MESSAGES_UPSERT", "messages.upsert",
    ])
    func pathEvent(name: String) throws {
        let body = TestBodies.evolution(
            event: nil,
            data: #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","fromMe":false,"id":"A1"},"message":{"conversation":"x"}}"#
        )
        #expect(try parser.parse(body, pathEvent: name).first?.inboundMessage?.externalId == "A1")
        #expect(throws: WebhookParseError.missingField(path: "event")) { try parser.parse(body) }
    }

    @Test("The body's event wins over the URL's")
    func bodyEventWins() throws {
        let body = TestBodies.evolution(event: "contacts.update", data: #"{"remoteJid":"5511999990001@s.whatsapp.net"}"#)
        #expect(try parser.parse(body, pathEvent: "messages-upsert").isEmpty)
    }

    // MARK: Invalid bodies

    @Test("Invalid bodies are rejected with the field at fault", arguments: [
        (TestBodies.data(""), WebhookParseError.notJSON),
        (TestBodies.data("<html>502</html>"), .notJSON),
        (TestBodies.data(#"{"event":"messages.upsert","instance":"unit-acme","data":{"key":"#), .notJSON),
        (TestBodies.data("[1,2]"), .wrongType(path: "")),
        (TestBodies.data(#"{"event":"messages.upsert","instance":"unit-acme"}"#), .missingField(path: "data")),
        (TestBodies.data(#"{"event":"messages.upsert","instance":"unit-acme","data":null}"#), .missingField(path: "data")),
        (TestBodies.data(#"{"event":42,"instance":"unit-acme","data":{}}"#), .wrongType(path: "event")),
        (TestBodies.evolutionUpsert(key: #"{"remoteJid":"5511999990001@s.whatsapp.net","fromMe":false,"id":3468}"#), .wrongType(path: "data.key.id")),
        (TestBodies.evolutionUpsert(key: #"{"remoteJid":"5511999990001@s.whatsapp.net","fromMe":false}"#), .missingField(path: "data.key.id")),
        (TestBodies.evolutionUpsert(key: #"{"remoteJid":5511999990001,"fromMe":false,"id":"A1"}"#), .wrongType(path: "data.key.remoteJid")),
        (TestBodies.evolutionUpsert(key: #"{"remoteJid":"5511999990001@s.whatsapp.net","fromMe":"false","id":"A1"}"#), .wrongType(path: "data.key.fromMe")),
        (TestBodies.evolution(event: "messages.upsert", data: #"{"key":{"remoteJid":"x","id":"A1"}}"#, instance: "7"), .wrongType(path: "instance")),
        (TestBodies.evolution(event: "connection.update", data: #"{"statusReason":401}"#), .missingField(path: "data.state")),
        (TestBodies.evolution(event: "qrcode.updated", data: #"{"qrcode":{"code":""}}"#), .invalidValue(path: "data.qrcode.code", reason: "empty QR code string")),
    ] as [(Data, WebhookParseError)])
    func invalidBodies(body: Data, error: WebhookParseError) {
        #expect(throws: error) { try parser.parse(body) }
    }

    @Test("Upserts whose chat JID holds no number or LID are rejected")
    func unusableJID() {
        let body = TestBodies.evolutionUpsert(key: #"{"remoteJid":"maria@s.whatsapp.net","fromMe":false,"id":"A1"}"#)
        #expect(throws: WebhookParseError.invalidValue(path: "data.key.remoteJid", reason: "no phone number or LID in the JID")) {
            try parser.parse(body)
        }
    }

    @Test("An event without an instance is rejected; an ignored one is not")
    func instanceRequiredForEvents() throws {
        let upsert = TestBodies.data(#"{"event":"messages.upsert","data":{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"x"}}}"#)
        #expect(throws: WebhookParseError.missingField(path: "instance")) { try parser.parse(upsert) }
        let presence = TestBodies.data(#"{"event":"presence.update","data":{"id":"5511999990001@s.whatsapp.net"}}"#)
        #expect(try parser.parse(presence).isEmpty)
    }
}
