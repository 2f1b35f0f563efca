import CRMCore
import CRMProviders
import Foundation
import Testing

@Suite("Webhook trigger wire shape")
struct WebhookTriggerShapeTests {
    private func body(_ event: WebhookTriggerEvent, instance: String = "unit-acme", owner: String? = "5511999990000") throws -> Data {
        try event.request(
            instance: instance, contactPhone: "5511999990001", externalId: event.newExternalId(),
            metaAppSecret: "s", accountPhone: owner, webhookURL: "http://127.0.0.1:8080/webhooks/whatsapp/evolution/abc",
            now: Date(timeIntervalSince1970: 1_761_048_000.118)
        ).body
    }

    /// Whether `data` has whitespace outside strings (pretty-printing) or `\/` escapes.
    private func isCompact(_ data: Data) -> Bool {
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped {
                    if byte == UInt8(ascii: "/") { return false }
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if [0x20, 0x09, 0x0A, 0x0D].contains(byte) {
                return false
            }
        }
        return !inString
    }

    @Test("Bodies are valid, compact JSON objects", arguments: WebhookTriggerEvent.allCases)
    func compactJSON(event: WebhookTriggerEvent) throws {
        let data = try body(event)
        #expect(isCompact(data))
        #expect(try JSONSerialization.jsonObject(with: data) is [String: Any])
    }

    @Test("Evolution bodies use the 2.3 envelope, fields in Evolution's order", arguments: WebhookTriggerEvent.allCases.filter { $0.provider == .evolution })
    func evolutionEnvelope(event: WebhookTriggerEvent) throws {
        let text = String(decoding: try body(event), as: UTF8.self)
        let eventName = event.rawValue.dropFirst("evolution.".count)
        #expect(text.hasPrefix(#"{"event":"\#(eventName)","instance":"unit-acme","data":{"#))
        #expect(text.hasSuffix(#","destination":"http://127.0.0.1:8080/webhooks/whatsapp/evolution/abc","date_time":"2025-10-21T12:00:00.118Z","sender":"5511999990000@s.whatsapp.net","server_url":"http://localhost:8080","apikey":null}"#))
        let withoutOwner = String(decoding: try body(event, owner: nil), as: UTF8.self)
        #expect(!withoutOwner.contains(#""sender""#))
    }

    @Test("Meta bodies are whatsapp_business_account notifications for the unit's phone number id", arguments: [WebhookTriggerEvent.metaMessages, .metaStatuses])
    func metaShape(event: WebhookTriggerEvent) throws {
        let object = try #require(try JSONSerialization.jsonObject(with: try body(event, instance: "112233445566778")) as? [String: Any])
        #expect(object["object"] as? String == "whatsapp_business_account")
        let entry = try #require((object["entry"] as? [[String: Any]])?.first)
        let change = try #require((entry["changes"] as? [[String: Any]])?.first)
        #expect(change["field"] as? String == "messages")
        let value = try #require(change["value"] as? [String: Any])
        #expect(value["messaging_product"] as? String == "whatsapp")
        #expect((value["metadata"] as? [String: String])?["phone_number_id"] == "112233445566778")
        #expect((value["metadata"] as? [String: String])?["display_phone_number"] == "5511999990000")
        #expect(value[event == .metaMessages ? "messages" : "statuses"] is [[String: Any]])
    }

    @Test("Z-API callbacks name their type and instance", arguments: [
        (WebhookTriggerEvent.zapiReceived, "ReceivedCallback"), (.zapiStatus, "MessageStatusCallback"),
        (.zapiConnected, "ConnectedCallback"), (.zapiDisconnected, "DisconnectedCallback"),
    ])
    func zapiShape(event: WebhookTriggerEvent, type: String) throws {
        let object = try #require(try JSONSerialization.jsonObject(with: try body(event, instance: "3D9F6A1B")) as? [String: Any])
        #expect(object["type"] as? String == type)
        #expect(object["instanceId"] as? String == "3D9F6A1B")
        #expect(object["momment"] as? Int == 1_761_048_000_118)
    }

    @Test("Awkward instance names survive JSON escaping", arguments: WebhookTriggerEvent.allCases)
    func escaping(event: WebhookTriggerEvent) throws {
        let awkward = "unit \"quoted\" back\\slash\ttab\u{1}/ção"
        let data = try body(event, instance: awkward)
        #expect(isCompact(data))
        let parser: any WebhookParser = switch event.provider {
        case .evolution: EvolutionWebhookParser()
        case .meta: MetaWebhookParser()
        case .zapi: ZAPIWebhookParser()
        }
        #expect(try parser.parse(data).first?.instance == awkward)
    }

    @Test("Fresh ids are unique and in the provider's format", arguments: WebhookTriggerEvent.allCases.filter(\.usesExternalId))
    func freshIds(event: WebhookTriggerEvent) {
        let ids = (0..<50).map { _ in event.newExternalId() }
        #expect(Set(ids).count == ids.count)
        let id = ids[0]
        switch event {
        case .evolutionMessagesUpsert:
            #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
        case .evolutionMessagesUpdate, .evolutionSendMessage:
            #expect(id.hasPrefix("3EB0") && id.count == 22 && id.allSatisfy(\.isHexDigit))
        case .zapiReceived, .zapiStatus:
            #expect(id.hasPrefix("3EB0") && id.count == 20)
        case .metaMessages, .metaStatuses:
            #expect(id.hasPrefix("wamid.") && Data(base64Encoded: String(id.dropFirst("wamid.".count))) != nil)
        default:
            Issue.record("\(event) has no message id")
        }
    }

    @Test("Evolution's instanceId is stable per instance, as Evolution keeps one per instance")
    func stableInstanceId() throws {
        func instanceId(_ instance: String) throws -> String? {
            let object = try JSONSerialization.jsonObject(with: try body(.evolutionMessagesUpdate, instance: instance)) as? [String: Any]
            return (object?["data"] as? [String: Any])?["instanceId"] as? String
        }
        let first = try #require(try instanceId("unit-acme"))
        #expect(try instanceId("unit-acme") == first)
        #expect(try instanceId("unit-other") != first)
        #expect(UUID(uuidString: first) != nil)
    }
}
