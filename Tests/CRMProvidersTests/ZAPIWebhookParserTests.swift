import CRMCore
import CRMProviders
import Foundation
import Testing

@Suite("Z-API webhook parser")
struct ZAPIWebhookParserTests {
    let parser = ZAPIWebhookParser()
    static let instance = "3D9F6A1B2C4E5F60718293A4B5C6D7E8"

    private func received(_ fields: String, phone: String = #""5511999990001""#) -> Data {
        TestBodies.data(#"{"type":"ReceivedCallback","instanceId":"\#(Self.instance)","messageId":"3EB0A1","phone":\#(phone),"momment":1761130000000,\#(fields)}"#)
    }

    private func status(_ status: String, ids: String = #"["3EB05F"]"#) -> Data {
        TestBodies.data(#"{"type":"MessageStatusCallback","instanceId":"\#(Self.instance)","status":"\#(status)","ids":\#(ids),"momment":1761130100000,"phone":"5511999990001"}"#)
    }

    @Test("Message statuses map onto the CRM's statuses", arguments: [
        ("SENT", MessageStatus.sent), ("RECEIVED", .delivered), ("READ", .read), ("PLAYED", .read),
    ])
    func statusMapping(zapiStatus: String, expected: MessageStatus) throws {
        #expect(try parser.parse(status(zapiStatus)) == [.statusChanged(MessageStatusChange(
            instance: Self.instance, externalId: "3EB05F", status: expected, timestamp: Date(timeIntervalSince1970: 1_761_130_100)
        ))])
    }

    @Test("Our reads of their messages and unknown statuses change nothing", arguments: ["READ_BY_ME", "READ-SELF", "SOMETHING"])
    func ignoredStatuses(zapiStatus: String) throws {
        #expect(try parser.parse(status(zapiStatus)).isEmpty)
    }

    @Test("One status callback covers every id, in order")
    func severalIds() throws {
        let events = try parser.parse(status("READ", ids: #"["A","B","C"]"#))
        #expect(events.compactMap(\.statusChange?.externalId) == ["A", "B", "C"])
        #expect(events.allSatisfy { $0.statusChange?.status == .read })
    }

    @Test("A single `id` is accepted when `ids` is absent")
    func singleId() throws {
        let body = TestBodies.data(#"{"type":"MessageStatusCallback","instanceId":"\#(Self.instance)","status":"SENT","id":"3EB05F"}"#)
        #expect(try parser.parse(body).first?.statusChange?.externalId == "3EB05F")
    }

    @Test("DeliveryCallback means sent")
    func delivery() throws {
        let body = TestBodies.data(#"{"phone":"5511999990001","zaapId":"D21D","messageId":"3EB05F","type":"DeliveryCallback","instanceId":"\#(Self.instance)"}"#)
        #expect(try parser.parse(body) == [.statusChanged(MessageStatusChange(instance: Self.instance, externalId: "3EB05F", status: .sent))])
    }

    @Test("The contact's phone and LID come from phone, chatLid and senderLid", arguments: [
        // (phone, extra fields, from, lid)
        (#""5511999990001""#, #""chatLid":"128406231990285@lid","fromMe":false"#, "5511999990001", "128406231990285"),
        (#""5511999990001""#, #""senderLid":"81896604192873@lid","fromMe":false"#, "5511999990001", "81896604192873"),
        (#""5511999990001""#, #""senderLid":"99999999999999@lid","fromMe":true"#, "5511999990001", nil),
        (#""65998849469@lid""#, #""chatLid":"65998849469@lid","fromMe":false"#, nil, "65998849469"),
        (#""65998849469@lid""#, #""fromMe":false"#, nil, "65998849469"),
        (#""551188887777""#, #""fromMe":false"#, "551188887777", nil),
    ] as [(String, String, String?, String?)])
    func directAddressing(phone: String, fields: String, from: String?, lid: String?) throws {
        let body = received(#"\#(fields),"text":{"message":"Oi"}"#, phone: phone)
        let message = try #require(try parser.parse(body).first?.inboundMessage)
        #expect(message.from == from)
        #expect(message.lid == lid)
        #expect(message.isGroup == false)
    }

    @Test("Group messages come from the participant; our own number is not a participant contact")
    func groups() throws {
        let fromContact = received(#""isGroup":true,"fromMe":false,"participantPhone":"5511999990002","participantLid":"999@lid","text":{"message":"Oi"}"#,
                                   phone: #""120363019502650977-group""#)
        let message = try #require(try parser.parse(fromContact).first?.inboundMessage)
        #expect(message.isGroup)
        #expect(message.groupId == "120363019502650977")
        #expect(message.from == "5511999990002")
        #expect(message.lid == "999")

        let fromUs = received(#""isGroup":true,"fromMe":true,"connectedPhone":"5511999990000","participantPhone":"5511999990000","text":{"message":"Oi"}"#,
                              phone: #""120363019502650977-group""#)
        let ours = try #require(try parser.parse(fromUs).first?.inboundMessage)
        #expect(ours.fromMe)
        #expect(ours.from == nil)
        #expect(ours.groupId == "120363019502650977")
    }

    @Test("Channels, broadcast lists, notifications, edits and placeholders are not new messages", arguments: [
        (#""isNewsletter":true,"text":{"message":"x"}"#, #""5511999990001""#),
        (#""text":{"message":"x"}"#, #""120363198765432109@newsletter""#),
        (#""text":{"message":"x"}"#, #""status@broadcast""#),
        (#""fromMe":true,"broadcast":true,"text":{"message":"x"}"#, #""1774895799-broadcast""#),
        (#""notification":"GROUP_PARTICIPANT_ADD","notificationParameters":["5511999990002"]"#, #""1203-group""#),
        (#""isEdit":true,"text":{"message":"x"}"#, #""5511999990001""#),
        (#""waitingMessage":true"#, #""5511999990001""#),
        (#""pollVote":{"pollMessageId":"3EB0"}"#, #""5511999990001""#),
    ] as [(String, String)])
    func ignoredReceived(fields: String, phone: String) throws {
        #expect(try parser.parse(received(fields, phone: phone)).isEmpty)
    }

    @Test("A notification needs neither a message id nor a phone")
    func bareNotification() throws {
        let body = TestBodies.data(#"{"type":"ReceivedCallback","instanceId":"\#(Self.instance)","fromMe":true,"notification":"PROFILE_PICTURE_UPDATED"}"#)
        #expect(try parser.parse(body).isEmpty)
    }

    @Test("Connection callbacks")
    func connection() throws {
        let connected = TestBodies.data(#"{"type":"ConnectedCallback","connected":true,"momment":26151515154,"instanceId":"\#(Self.instance)","phone":"5511999990000"}"#)
        #expect(try parser.parse(connected) == [.connectionChanged(ConnectionChange(
            instance: Self.instance, state: .connected, reason: .scanCompleted, phone: "5511999990000"
        ))])
        let disconnected = TestBodies.data(#"{"momment":1580163342,"error":"Device has been disconnected","disconnected":true,"type":"DisconnectedCallback","instanceId":"\#(Self.instance)"}"#)
        #expect(try parser.parse(disconnected) == [.connectionChanged(ConnectionChange(
            instance: Self.instance, state: .disconnected, reason: .disconnected
        ))])
        let presence = TestBodies.data(#"{"type":"PresenceChatCallback","phone":"5511999990001","status":"COMPOSING","lastSeen":null}"#)
        #expect(try parser.parse(presence).isEmpty)
    }

    @Test("`momment` in milliseconds and in seconds gives the same instant")
    func mommentUnits() throws {
        let millis = received(#""text":{"message":"x"}"#)
        let seconds = TestBodies.data(#"{"type":"ReceivedCallback","instanceId":"i","messageId":"A","phone":"5511999990001","momment":1761130000,"text":{"message":"x"}}"#)
        let expected = Date(timeIntervalSince1970: 1_761_130_000)
        #expect(try parser.parse(millis).first?.inboundMessage?.timestamp == expected)
        #expect(try parser.parse(seconds).first?.inboundMessage?.timestamp == expected)
    }

    @Test("Invalid bodies are rejected with the field at fault", arguments: [
        (#"{"instanceId":"i","phone":"5511999990001"}"#, WebhookParseError.missingField(path: "type")),
        (#"{"type":7}"#, .wrongType(path: "type")),
        (#"{"type":"MessageStatusCallback","instanceId":"i","status":"READ","ids":"3EB05F"}"#, .wrongType(path: "ids")),
        (#"{"type":"MessageStatusCallback","instanceId":"i","status":"READ","ids":[1,2]}"#, .wrongType(path: "ids[0]")),
        (#"{"type":"MessageStatusCallback","instanceId":"i","status":"READ"}"#, .missingField(path: "ids")),
        (#"{"type":"MessageStatusCallback","instanceId":"i","ids":["A"]}"#, .missingField(path: "status")),
        (#"{"type":"DeliveryCallback","instanceId":"i","phone":"5511999990001"}"#, .missingField(path: "messageId")),
        (#"{"type":"DeliveryCallback","messageId":"A"}"#, .missingField(path: "instanceId")),
        (#"{"type":"ReceivedCallback","instanceId":"i","messageId":"A","phone":5511999990001,"text":{"message":"x"}}"#, .wrongType(path: "phone")),
        (#"{"type":"ReceivedCallback","instanceId":"i","messageId":"A","phone":"Maria","text":{"message":"x"}}"#,
         .invalidValue(path: "phone", reason: "neither digits, a group id nor a JID")),
        (#"{"type":"ReceivedCallback","instanceId":"i","phone":"5511999990001","text":{"message":"x"}}"#, .missingField(path: "messageId")),
        (#"{"type":"ReceivedCallback","instanceId":"i","messageId":"A","text":{"message":"x"}}"#, .missingField(path: "phone")),
        (#"{"type":"ReceivedCallback","instanceId":"i","messageId":"A","phone":"5511999990001","fromMe":"true","text":{"message":"x"}}"#, .wrongType(path: "fromMe")),
        (#"{"type":"ReceivedCallback","instanceId":"i","messageId":"A","phone":"5511999990001","text":{"message":42}}"#, .wrongType(path: "text.message")),
    ] as [(String, WebhookParseError)])
    func invalidBodies(json: String, error: WebhookParseError) {
        #expect(throws: error) { try parser.parse(TestBodies.data(json)) }
    }
}
