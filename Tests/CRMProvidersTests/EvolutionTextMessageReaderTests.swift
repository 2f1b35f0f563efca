import CRMCore
@testable import CRMProviders
import Foundation
import Testing

/// The listener's direct reading of Evolution text messages must change nothing but speed: for
/// every body, the parser with it and the parser with `JSONDecoder` alone give the same events or
/// the same error. Mutations are seeded, so a failure reproduces.
@Suite("Evolution text messages read without JSONDecoder")
struct EvolutionTextMessageReaderTests {
    static let direct = EvolutionWebhookParser()
    static let decoded = EvolutionWebhookParser(readsTextDirectly: false)

    /// Parses `body` both ways; records a difference as a failure. Returns whether the direct path answered.
    @discardableResult
    static func compare(_ body: Data, pathEvent: String? = nil, _ name: String) -> Bool {
        let fast = Result { () throws(WebhookParseError) in try direct.parse(body, pathEvent: pathEvent) }
        let slow = Result { () throws(WebhookParseError) in try decoded.parse(body, pathEvent: pathEvent) }
        #expect(fast == slow, "\(name): \(String(decoding: body, as: UTF8.self).prefix(300))")
        return EvolutionTextMessageReader.envelope(body, pathEvent: pathEvent) != nil
    }

    static func upsert(data: String, event: String? = "messages.upsert") -> Data {
        TestBodies.evolution(event: event, data: data)
    }

    @Test("The text fixtures, the trigger's and the benchmark's bodies take the direct path, with the same events")
    func textBodiesAreReadDirectly() throws {
        let fixtures = [
            "messages-upsert-conversation.json", "messages-upsert-extended-text.json", "messages-upsert-from-me.json",
            "messages-upsert-group.json", "send-message.json",
        ]
        for name in fixtures {
            let body = try Fixtures.data("providers", "evolution/webhooks/\(name)")
            #expect(Self.compare(body, name), "\(name) fell back to the decoder")
            #expect(try Self.direct.parse(body).count == 1, "\(name)")
        }
        let trigger = try WebhookTriggerEvent.evolutionMessagesUpsert.request(
            instance: "unit-acme", contactPhone: "5511999990001", metaAppSecret: nil, accountPhone: "5511999990000"
        )
        #expect(Self.compare(trigger.body, "trigger"))
        let bench = Data(#"{"event":"messages.upsert","instance":"bench","data":{"key":{"remoteJid":"5511900000001@s.whatsapp.net","fromMe":false,"id":"3EB0R0100000001"},"pushName":"Maria Bench","status":"DELIVERY_ACK","message":{"conversation":"Olá! Quero saber o horário de hoje."},"messageType":"conversation","messageTimestamp":1764072000,"instanceId":"6a3b1f0e-2d4c-4b8e-9f1a-0c2d3e4f5a6b","source":"android"},"destination":"http://localhost/webhooks/whatsapp/evolution","date_time":"2026-11-25T12:00:00.000Z","server_url":"http://localhost:8080","apikey":null}"#.utf8)
        #expect(Self.compare(bench, "benchmark"))
        let message = try #require(try Self.direct.parse(bench).first?.inboundMessage)
        #expect(message.externalId == "3EB0R0100000001" && message.text == "Olá! Quero saber o horário de hoje.")
        #expect(message.from == "5511900000001" && message.senderName == "Maria Bench")
        #expect(message.timestamp == Date(timeIntervalSince1970: 1_764_072_000))
    }

    @Test("Escapes, odd values and near-misses give what the decoder gives", arguments: [
        // Escapes in what is read, and keys written with escapes.
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A\"1"},"message":{"conversation":"linha 1\nlinha 2 \"aspas\" \\ \/ \t\u00e9\ud83d\ude00"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","\u0069d":"A1"},"message":{"conversation":"oi"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"\ud800"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"\udc00"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"nul \u0000 byte"}}"#,
        // Keys twice (the decoder takes the first), trailing commas, leading zeros.
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1","id":"A2"},"message":{"conversation":"oi"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"um","conversation":"dois"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1",},"message":{"conversation":"oi"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi"},"messageTimestamp":01761130000}"#,
        // Types the envelope does not expect.
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":1},"message":{"conversation":"oi"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1","fromMe":"false"},"message":{"conversation":"oi"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1","fromMe":null},"message":{"conversation":"oi"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":7}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":"oi"}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":null}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net"},"message":{"conversation":"oi"}}"#,
        #"{"key":null,"message":{"conversation":"oi"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"pushName":3,"message":{"conversation":"oi"}}"#,
        // Content: null text, extended text, media next to text, control and wrapper keys.
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":null,"extendedTextMessage":{"text":"link"}}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"extendedTextMessage":{"text":null}}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"extendedTextMessage":"x"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"legenda","imageMessage":{"caption":"foto"}}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi","protocolMessage":{"type":0}}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"protocolMessage":null,"conversation":"oi"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"ephemeralMessage":{"message":{"conversation":"oi"}}}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"messageContextInfo":{}}}"#,
        // Timestamps: string, milliseconds, too long, fraction, exponent, negative, Long object, bool.
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi"},"messageTimestamp":"1761130000"}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi"},"messageTimestamp":1761130000123}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi"},"messageTimestamp":17611300001230000}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi"},"messageTimestamp":1761130000.5}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi"},"messageTimestamp":1.76113e9}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi"},"messageTimestamp":-5}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi"},"messageTimestamp":{"low":1761130000,"high":0}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi"},"messageTimestamp":true}"#,
        // data as an array (some versions), empty, of a non-object; data null or a string.
        #"[{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"um"}},{"key":{"remoteJid":"5511999990002@s.whatsapp.net","id":"A2"},"message":{"conversation":"dois"}}]"#,
        #"[]"#, #"[1]"#, #"null"#, #""x""#,
        // Chats: group, broadcast, LID with the phone elsewhere, not a JID.
        #"{"key":{"remoteJid":"120363040000000000@g.us","participant":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi"}}"#,
        #"{"key":{"remoteJid":"status@broadcast","id":"A1"},"message":{"conversation":"oi"}}"#,
        #"{"key":{"remoteJid":"128406231990285@lid","remoteJidAlt":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi"}}"#,
        #"{"key":{"remoteJid":"nada","id":"A1"},"message":{"conversation":"oi"}}"#,
        #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":""},"message":{"conversation":"oi"}}"#,
    ])
    func nearMisses(data: String) {
        Self.compare(Self.upsert(data: data), data)
        Self.compare(Self.upsert(data: data, event: "send.message"), data)
    }

    @Test("Envelopes: the event from the URL, other events, missing instance, bytes around the document")
    func envelopes() throws {
        let data = #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"oi"}}"#
        #expect(Self.compare(Self.upsert(data: data, event: nil), pathEvent: "messages-upsert", "event from the URL"))
        #expect(!Self.compare(Self.upsert(data: data, event: nil), "no event at all"))
        #expect(!Self.compare(Self.upsert(data: data, event: "messages.update"), "a receipt"))
        #expect(Self.compare(Self.upsert(data: data, event: "MESSAGES_UPSERT"), "upper snake"))
        Self.compare(TestBodies.evolution(event: "messages.upsert", data: data, instance: "null"), "instance null")
        Self.compare(TestBodies.evolution(event: "messages.upsert", data: data, instance: #""""#), "instance empty")
        Self.compare(TestBodies.evolution(event: "messages.upsert", data: data, instance: "5"), "instance a number")
        let body = Self.upsert(data: data)
        Self.compare(Data([0xEF, 0xBB, 0xBF]) + body, "byte order mark")
        Self.compare(Data(" \n".utf8) + body + Data("\r\n\t ".utf8), "whitespace around")
        Self.compare(body + Data(" x".utf8), "garbage after")
        Self.compare(Data(#"{"event":"messages.upsert","event":"messages.upsert","instance":"a","data":\#(data)}"#.utf8), "event twice")
        Self.compare(Data(#"{"event":"messages.upsert","instance":"a","data":\#(data),"extra":"\#u{01}","more":"\#u{FF}"}"#.utf8) + Data([0xFF]), "junk")
        var invalidSkipped = [UInt8](Self.upsert(data: data))
        invalidSkipped.insert(contentsOf: Array(#","junk":""#.utf8) + [0xC3, 0x28], at: invalidSkipped.count - 2)
        Self.compare(Data(invalidSkipped), "invalid UTF-8 in a string nobody reads")
        // Invalid UTF-8 inside the text that is read: the decoder refuses the body.
        let template = [UInt8](Self.upsert(data: #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","id":"A1"},"message":{"conversation":"a~b"}}"#))
        let tilde = try #require(template.firstIndex(of: UInt8(ascii: "~")))
        for sequence: [UInt8] in [[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xFF]] {
            var body = template
            body.replaceSubrange(tilde...tilde, with: sequence)
            #expect(!Self.compare(Data(body), "invalid UTF-8 in the text read: \(sequence)"))
        }
    }

    @Test("Every fixture, truncated, byte-flipped and structurally mutated, gives what the decoder gives")
    func mutations() throws {
        var random = SeededRandom(seed: 0x5EED_7E47)
        var bodies: [(String, Data)] = []
        for set in Fixtures.sets {
            for file in try Fixtures.webhookFiles(in: set) { bodies.append(("\(set)/\(file)", try Fixtures.data(set, file))) }
        }
        var directly = 0, compared = 0
        for (name, body) in bodies {
            let pathEvents: [String?] = name.contains("evolution") ? [nil, "messages-upsert"] : [nil]
            for pathEvent in pathEvents where Self.compare(body, pathEvent: pathEvent, name) { directly += 1 }
            let bytes = [UInt8](body)
            for length in [1, bytes.count / 2, bytes.count - 1] where length < bytes.count {
                Self.compare(Data(bytes[0..<length]), "\(name) cut at \(length)")
            }
            for round in 0..<30 {
                var flipped = bytes
                let index = Int.random(in: 0..<flipped.count, using: &random)
                flipped[index] = round.isMultiple(of: 2) ? UInt8.random(in: 0x20...0x7E, using: &random) : UInt8.random(in: 0...255, using: &random)
                if Self.compare(Data(flipped), "\(name) byte \(index)") { directly += 1 }
                compared += 1
            }
            guard let document = try? JSONSerialization.jsonObject(with: body) else { continue }
            for _ in 0..<60 {
                let mutated = JSONMutator.mutate(document, using: &random)
                guard JSONSerialization.isValidJSONObject(mutated),
                      let data = try? JSONSerialization.data(withJSONObject: mutated) else { continue }
                if Self.compare(data, pathEvent: "messages-upsert", "\(name) mutated") { directly += 1 }
                compared += 1
            }
        }
        #expect(compared > 3_000)
        // The comparison means something only if the direct path answered often.
        #expect(directly > 300, "direct path answered \(directly) of \(compared)")
    }
}
