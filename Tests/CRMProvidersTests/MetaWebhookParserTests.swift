import CRMCore
import CRMProviders
import Foundation
import Testing

@Suite("Meta webhook parser")
struct MetaWebhookParserTests {
    let parser = MetaWebhookParser()

    private func statusBody(_ status: String, errors: String? = nil) -> Data {
        let errorsField = errors.map { #","errors":\#($0)"# } ?? ""
        return TestBodies.meta(value: #"{"messaging_product":"whatsapp",\#(TestBodies.metaMetadata),"statuses":[{"id":"wamid.S1","status":"\#(status)","timestamp":"1761130100","recipient_id":"5511999990001"\#(errorsField)}]}"#)
    }

    @Test("Statuses map as they are", arguments: [
        ("sent", MessageStatus.sent), ("delivered", .delivered), ("read", .read), ("played", .read), ("failed", .failed),
    ])
    func statusMapping(metaStatus: String, expected: MessageStatus) throws {
        let change = try #require(try parser.parse(statusBody(metaStatus)).first?.statusChange)
        #expect(change.status == expected)
        #expect(change.externalId == "wamid.S1")
        #expect(change.instance == "112233445566778")
        #expect(change.timestamp == Date(timeIntervalSince1970: 1_761_130_100))
    }

    @Test("Unknown statuses change nothing", arguments: ["deleted", "warning", "accepted"])
    func unknownStatus(metaStatus: String) throws {
        #expect(try parser.parse(statusBody(metaStatus)).isEmpty)
    }

    @Test("A failure carries Meta's error code and text; other statuses never do")
    func failureDetails() throws {
        let errors = #"[{"code":131026,"title":"Message undeliverable","message":"Message undeliverable","error_data":{"details":"x"}}]"#
        let failed = try #require(try parser.parse(statusBody("failed", errors: errors)).first?.statusChange)
        #expect(failed.errorCode == 131026)
        #expect(failed.errorMessage == "Message undeliverable")
        let read = try #require(try parser.parse(statusBody("read", errors: errors)).first?.statusChange)
        #expect(read.errorCode == nil)
        let bare = try #require(try parser.parse(statusBody("failed")).first?.statusChange)
        #expect(bare.status == .failed)
        #expect(bare.errorCode == nil)
    }

    @Test("Several entries and changes give events in body order, each with its own number")
    func severalEntriesAndChanges() throws {
        let value = { (number: String, id: String) in
            #"{"metadata":{"phone_number_id":"\#(number)"},"statuses":[{"id":"\#(id)a","status":"sent"},{"id":"\#(id)b","status":"read"}]}"#
        }
        let body = TestBodies.data(#"""
        {"object":"whatsapp_business_account","entry":[
          {"id":"1","changes":[{"field":"messages","value":\#(value("111", "w1"))},{"field":"messages","value":\#(value("111", "w2"))}]},
          {"id":"2","changes":[{"field":"messages","value":\#(value("222", "w3"))}]}
        ]}
        """#)
        let changes = try parser.parse(body).compactMap(\.statusChange)
        #expect(changes.map(\.externalId) == ["w1a", "w1b", "w2a", "w2b", "w3a", "w3b"])
        #expect(changes.map(\.instance) == ["111", "111", "111", "111", "222", "222"])
        #expect(changes.map(\.status) == [.sent, .read, .sent, .read, .sent, .read])
    }

    @Test("Contacts' profile names label their messages")
    func senderName() throws {
        let body = TestBodies.meta(value: #"{\#(TestBodies.metaMetadata),"contacts":[{"profile":{"name":"Ana"},"wa_id":"5511999990003"},{"profile":{"name":"Maria"},"wa_id":"5511999990001"}],"messages":[{"from":"5511999990001","id":"wamid.M1","timestamp":"1761130000","type":"text","text":{"body":"Oi"}}]}"#)
        let message = try #require(try parser.parse(body).first?.inboundMessage)
        #expect(message.senderName == "Maria")
        #expect(message.from == "5511999990001")
        #expect(message.fromMe == false)
        #expect(message.timestamp == Date(timeIntervalSince1970: 1_761_130_000))
    }

    @Test("Bodies of other products and fields, and errors-only values, change nothing", arguments: [
        #"{"object":"page","entry":[{"id":"1","time":1,"messaging":[]}]}"#,
        #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{"phone_number":"5511940000000","event":"VERIFIED_ACCOUNT"}}]}]}"#,
        #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"errors":[{"code":131000}]}}]}]}"#,
        #"{"object":"whatsapp_business_account","entry":[]}"#,
    ])
    func nothingToApply(json: String) throws {
        #expect(try parser.parse(TestBodies.data(json)).isEmpty)
    }

    @Test("Invalid bodies are rejected with the field at fault", arguments: [
        (#"not json"#, WebhookParseError.notJSON),
        (#"{"object":"whatsapp_business_account"}"#, .missingField(path: "entry")),
        (#"{"object":"whatsapp_business_account","entry":{"changes":[]}}"#, .wrongType(path: "entry")),
        (#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":{}}]}"#, .wrongType(path: "entry[0].changes")),
        (#"{"object":"whatsapp_business_account","entry":[{"id":"1"}]}"#, .missingField(path: "entry[0].changes")),
        (#"{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"statuses":[{"id":7,"status":"sent"}]}}]}]}"#,
         .wrongType(path: "entry[0].changes[0].value.statuses[0].id")),
        (#"{"entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"w","status":"sent"}]}}]}]}"#,
         .missingField(path: "entry[0].changes[0].value.metadata.phone_number_id")),
        (#"{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":112233}}}]}]}"#,
         .wrongType(path: "entry[0].changes[0].value.metadata.phone_number_id")),
        (#"{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[{"id":"w","type":"text","text":{"body":"x"}}]}}]}]}"#,
         .missingField(path: "entry[0].changes[0].value.messages[0].from")),
        (#"{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[{"from":"+55 11 99999-0001","id":"w","type":"text","text":{"body":"x"}}]}}]}]}"#,
         .invalidValue(path: "entry[0].changes[0].value.messages[0].from", reason: "not a phone number")),
        (#"{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[{"from":"5511999990001","id":"w","type":"text"}]}}]}]}"#,
         .missingField(path: "entry[0].changes[0].value.messages[0].text")),
        (#"{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[{"from":"5511999990001","id":"w","text":{"body":"x"}}]}}]}]}"#,
         .missingField(path: "entry[0].changes[0].value.messages[0].type")),
    ] as [(String, WebhookParseError)])
    func invalidBodies(json: String, error: WebhookParseError) {
        #expect(throws: error) { try parser.parse(TestBodies.data(json)) }
    }

    @Test("Meta numbers are kept verbatim, including 12-digit Brazilian ones")
    func brazilianTwelveDigits() throws {
        let body = TestBodies.meta(value: #"{\#(TestBodies.metaMetadata),"messages":[{"from":"551188887777","id":"wamid.B","type":"text","text":{"body":"Oi"}}]}"#)
        #expect(try parser.parse(body).first?.inboundMessage?.from == "551188887777")
    }
}
