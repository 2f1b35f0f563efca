import Foundation
import Testing

@testable import CRMCore

/// When an incoming message opts out, and how often the unit's keywords are read to decide it.
@Suite("Opt-out detection")
struct OptOutDetectionTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    let unit = UUID()

    /// Keywords per unit, counting the reads.
    actor CountingKeywords: OptOutKeywordStore {
        private var own: [UUID: OptOutKeywords] = [:]
        private(set) var reads = 0
        func set(_ keywords: OptOutKeywords, for unit: UUID) { own[unit] = keywords }
        func optOutKeywords(unitId: UUID) async throws -> OptOutKeywords {
            reads += 1
            return own[unitId] ?? .defaults
        }
    }

    func message(_ text: String?, kind: MessageKind = .text, fromMe: Bool = false, unit: UUID? = nil) -> IncomingMessage {
        IncomingMessage(
            unitId: unit ?? self.unit, provider: .evolution, externalId: UUID().uuidString, phone: "5511987650001", lid: nil,
            senderName: nil, fromMe: fromMe, kind: kind, body: text, sentAt: t0, receivedAt: t0
        )
    }

    @Test("only a contact's own text whose whole text is a keyword; long texts are never looked up")
    func decisions() async throws {
        let store = CountingKeywords()
        let detection = OptOutDetection(cache: nil, now: t0)
        #expect(try await detection.optsOut(message("Parar!"), store: store))
        #expect(try await !detection.optsOut(message("Parar!", fromMe: true), store: store), "our own sends echoed back")
        #expect(try await !detection.optsOut(message("STOP", kind: .image), store: store), "a caption is not a text message")
        #expect(try await !detection.optsOut(message(nil), store: store))
        #expect(await store.reads == 1, "none of those needed the unit's keywords")
        #expect(try await !detection.optsOut(message("oi"), store: store))
        #expect(await store.reads == 2)
        #expect(try await !detection.optsOut(message("Olá, gostaria de saber o preço do produto"), store: store))
        #expect(await store.reads == 2, "a text longer than any keyword is not looked up")
    }

    @Test("with the listener's cache: one read per unit per time to live, then the new keywords")
    func cached() async throws {
        let store = CountingKeywords()
        let cache = OptOutKeywordCache(ttl: 1)
        let other = UUID()
        #expect(try await OptOutDetection(cache: cache, now: t0).optsOut(message("stop"), store: store))
        #expect(try await !OptOutDetection(cache: cache, now: t0).optsOut(message("oi"), store: store))
        #expect(try await OptOutDetection(cache: cache, now: t0).optsOut(message("SAIR", unit: other), store: store))
        #expect(await store.reads == 2, "one read per unit")

        await store.set(try OptOutKeywords.parse("BASTA"), for: unit)
        let soon = OptOutDetection(cache: cache, now: t0.addingTimeInterval(0.9))
        #expect(try await soon.optsOut(message("stop"), store: store), "the cached keywords, until their time is up")
        let later = OptOutDetection(cache: cache, now: t0.addingTimeInterval(1))
        #expect(try await !later.optsOut(message("stop"), store: store))
        #expect(try await later.optsOut(message("Basta!"), store: store))
        #expect(await store.reads == 3)
    }

    @Test("with the cache, a long text fills it too: the next messages are decided without normalizing or reading")
    func cacheFilledByLongTexts() async throws {
        let store = CountingKeywords()
        let cache = OptOutKeywordCache(ttl: 1)
        for _ in 0..<5 {
            #expect(try await !OptOutDetection(cache: cache, now: t0).optsOut(message("Olá! Quero saber o horário de hoje."), store: store))
        }
        #expect(await store.reads == 1)
        #expect(cache.keywords(unitId: unit, now: t0) == .defaults, "the listener kept the keywords read for the first text")
        #expect(try await OptOutDetection(cache: cache, now: t0).optsOut(message("Cancelar."), store: store))
        #expect(await store.reads == 1)
    }
}
