import CRMCore
import CRMProviders
import Foundation
import Testing

/// Parsers face the internet: whatever the bytes, they return events or throw
/// `WebhookParseError`, and never trap (a trap would crash this test process). Mutations are
/// seeded, so a failure reproduces.
@Suite("Parser robustness")
struct RobustnessTests {
    static let parsers: [any WebhookParser] = [EvolutionWebhookParser(), MetaWebhookParser(), ZAPIWebhookParser()]

    static func fixtureBodies() throws -> [(name: String, body: Data)] {
        try Fixtures.sets.flatMap { set in
            try Fixtures.webhookFiles(in: set).map { (name: "\(set)/\($0)", body: try Fixtures.data(set, $0)) }
        }
    }

    /// Runs every parser on `body`; any thrown error is a `WebhookParseError` by the type
    /// system, so all this checks is that parsing returns and gives usable events.
    static func parseWithEveryParser(_ body: Data, pathEvent: String? = nil) {
        for parser in parsers {
            guard let events = try? parser.parse(body, pathEvent: pathEvent) else { continue }
            for event in events {
                switch event {
                case .inboundMessage(let message): #expect(!message.externalId.isEmpty)
                case .statusChanged(let change): #expect(!change.externalId.isEmpty)
                case .qrUpdated(let update): #expect(!update.qr.isEmpty)
                case .connectionChanged: break
                }
                #expect(!event.instance.isEmpty)
            }
        }
    }

    @Test("Truncated and byte-flipped fixture bodies never trap")
    func byteMutations() throws {
        var random = SeededRandom(seed: 0x5EED_0001)
        let bodies = try Self.fixtureBodies()
        #expect(bodies.count > 100)
        for (_, body) in bodies {
            let bytes = [UInt8](body)
            for length in [0, 1, bytes.count / 3, bytes.count / 2, bytes.count - 2] where length >= 0 && length <= bytes.count {
                Self.parseWithEveryParser(Data(bytes[0..<length]))
            }
            for _ in 0..<20 {
                var mutated = bytes
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let index = Int.random(in: 0..<mutated.count, using: &random)
                    mutated[index] = UInt8.random(in: 0...255, using: &random)
                }
                Self.parseWithEveryParser(Data(mutated))
            }
        }
    }

    @Test("Fixture bodies with values of the wrong JSON type, nulls and missing keys never trap")
    func structuralMutations() throws {
        var random = SeededRandom(seed: 0x5EED_0002)
        var parsedAtLeastOnce = 0
        for (name, body) in try Self.fixtureBodies() {
            guard let document = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else { continue }
            for _ in 0..<40 {
                let mutated = JSONMutator.mutate(document, using: &random)
                guard JSONSerialization.isValidJSONObject(mutated) || mutated is String || mutated is NSNumber || mutated is NSNull,
                      let data = try? JSONSerialization.data(withJSONObject: mutated, options: [.fragmentsAllowed])
                else { continue }
                Self.parseWithEveryParser(data, pathEvent: name.contains("evolution") ? "messages-upsert" : nil)
                parsedAtLeastOnce += 1
            }
        }
        #expect(parsedAtLeastOnce > 3_000)
    }

    @Test("Deeply nested and odd top-level JSON never traps", arguments: [
        String(repeating: "[", count: 100_000),
        String(repeating: "[", count: 2_000) + String(repeating: "]", count: 2_000),
        #"{"event":"messages.upsert","instance":"a","data":{"key":{"remoteJid":"1@s.whatsapp.net","id":"A"},"message":"#
            + String(repeating: #"{"ephemeralMessage":{"message":"#, count: 400) + "null" + String(repeating: "}}", count: 400) + "}}",
        "null", "true", "0", #""text""#, "{}", "[]", "\u{FEFF}{}", "{\"a\":1e400}", "{\"type\":\"ReceivedCallback\",\"phone\":\"\\ud800\"}",
    ])
    func oddDocuments(json: String) {
        Self.parseWithEveryParser(Data(json.utf8))
    }

    @Test("A 1 MiB body parses quickly")
    func largeBody() throws {
        // An image upsert whose thumbnail alone is 1 MiB, as Evolution sends with base64 media.
        let thumbnail = String(repeating: "QUJDRA", count: 1_048_576 / 6)
        let upsert = TestBodies.evolution(
            event: "messages.upsert",
            data: #"{"key":{"remoteJid":"5511999990001@s.whatsapp.net","fromMe":false,"id":"BIG"},"message":{"imageMessage":{"caption":"foto","jpegThumbnail":"\#(thumbnail)"},"base64":"\#(thumbnail)"}}"#
        )
        #expect(upsert.count > 2 * 1_048_576)
        // A Meta batch of about 1 MiB of statuses.
        let status = #"{"id":"wamid.HBgNNTUxMTk5OTk5MDAwMRUCABEYEkM0QTQ1NzQ1RTg2NzQ3RUM2NwA=","status":"delivered","timestamp":"1761051781","recipient_id":"5511999990001","pricing":{"billable":true,"pricing_model":"CBP","category":"service"}}"#
        let statuses = Array(repeating: status, count: 1_048_576 / status.utf8.count).joined(separator: ",")
        let batch = TestBodies.meta(value: #"{\#(TestBodies.metaMetadata),"statuses":[\#(statuses)]}"#)

        let clock = ContinuousClock()
        var events: [WebhookEvent] = []
        let upsertTime = try clock.measure { events = try EvolutionWebhookParser().parse(upsert) }
        #expect(events.first?.inboundMessage?.text == "foto")
        let batchTime = try clock.measure { events = try MetaWebhookParser().parse(batch) }
        #expect(events.count == 1_048_576 / status.utf8.count)
        // Generous bounds for an unoptimized build on a busy CI machine; typical runs are far below.
        #expect(upsertTime < .seconds(20), "1 MiB upsert took \(upsertTime)")
        #expect(batchTime < .seconds(30), "1 MiB Meta batch took \(batchTime)")
    }
}
