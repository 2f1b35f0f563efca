import CRMCore
import Foundation
import Testing

@Suite("Webhook event encoding")
struct WebhookEventCodingTests {
    static let samples: [WebhookEvent] = [
        .qrUpdated(QRCodeUpdate(instance: "unit-acme", qr: "2@abc,def", pairingCode: "WZ7KQ2XM")),
        .connectionChanged(ConnectionChange(instance: "unit-acme", state: .disconnected, reason: .loggedOut, code: 401)),
        .inboundMessage(InboundMessage(
            instance: "unit-acme", externalId: "A1", from: nil, lid: "128406231990285", fromMe: false, isGroup: true,
            groupId: "120363041234567890", messageType: .location, text: nil, senderName: "Maria",
            timestamp: Date(timeIntervalSince1970: 1_761_130_000), latitude: -23.5613, longitude: -46.6565
        )),
        .statusChanged(MessageStatusChange(
            instance: "112233445566778", externalId: "wamid.X", status: .failed, errorCode: 131026, errorMessage: "Message undeliverable"
        )),
    ]

    @Test("Events survive a JSON round trip", arguments: samples)
    func roundTrip(event: WebhookEvent) throws {
        let decoded = try JSONDecoder().decode(WebhookEvent.self, from: JSONEncoder().encode(event))
        #expect(decoded == event)
    }

    @Test("The encoded form is flat and names its kind, like the fixtures' expectations")
    func flatForm() throws {
        let qr = try #require(JSONValue.encoding(Self.samples[0]).objectValue)
        #expect(qr == [
            "kind": .string("qrUpdated"), "instance": .string("unit-acme"), "state": .string("qr"),
            "reason": .string("waiting_scan"), "qr": .string("2@abc,def"), "pairingCode": .string("WZ7KQ2XM"),
        ])
        let connection = try #require(JSONValue.encoding(Self.samples[1]).objectValue)
        #expect(connection["reason"] == .string("logged_out"))
        #expect(connection["code"] == .number(401))
        let message = try #require(JSONValue.encoding(Self.samples[2]).objectValue)
        #expect(message["kind"] == .string("inboundMessage"))
        #expect(message["messageType"] == .string("location"))
        #expect(message["from"] == nil)
    }

    @Test("Kind and instance accessors")
    func accessors() {
        #expect(Self.samples.map(\.kind) == WebhookEvent.Kind.allCases)
        #expect(Self.samples.map(\.instance) == ["unit-acme", "unit-acme", "unit-acme", "112233445566778"])
    }

    @Test("Unknown kinds do not decode")
    func unknownKind() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(WebhookEvent.self, from: Data(#"{"kind":"presence","instance":"x"}"#.utf8))
        }
    }

    @Test("Parse errors name the field, never its value")
    func errorDescriptions() {
        #expect(WebhookParseError.notJSON.description == "body is not valid JSON")
        #expect(WebhookParseError.missingField(path: "data.key.id").description == "missing field `data.key.id`")
        #expect(WebhookParseError.wrongType(path: "").description == "wrong JSON type for the body")
        #expect(WebhookParseError.invalidValue(path: "phone", reason: "not a phone number").description
            == "invalid value for `phone`: not a phone number")
    }
}
