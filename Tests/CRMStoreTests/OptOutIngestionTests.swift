import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Synchronization
import Testing

@testable import CRMStore

/// An inbound opt-out keyword opts its contact out in the transaction that stores the message, on
/// the one-by-one path and on the batched one, on every database kind.
@Suite("Opt-out keywords through the webhook ingestion")
struct OptOutIngestionTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// Reads `{"id", "from"?, "lid"?, "text", "fromMe"?}` bodies: one inbound message each.
    struct BodyParser: WebhookParser {
        let provider = ProviderKind.evolution
        func parse(_ body: Data, pathEvent: String?) throws(WebhookParseError) -> [WebhookEvent] {
            let fields = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
            return [.inboundMessage(InboundMessage(
                instance: "crm-loja", externalId: fields["id"] as? String ?? "?", from: fields["from"] as? String,
                lid: fields["lid"] as? String, fromMe: fields["fromMe"] as? Bool ?? false, messageType: .text,
                text: fields["text"] as? String
            ))]
        }
    }

    /// The real store, counting what the batches stored and how many of those opted out.
    actor CountingBatchStore: InboundBatchStore {
        let store: SQLStore
        var stored = 0
        var optingOut = 0
        init(_ store: SQLStore) { self.store = store }
        nonisolated var takesBodiesAsJSON: Bool { store.takesBodiesAsJSON }
        func storeInboundBatch(_ items: [InboundWebhook]) async throws -> [InboundBatchResult] {
            let results = try await store.storeInboundBatch(items)
            for (item, result) in zip(items, results) {
                guard case .stored = result else { continue }
                stored += 1
                if item.message.optsOut { optingOut += 1 }
            }
            return results
        }
    }

    func body(_ id: String, from phone: String? = nil, lid: String? = nil, text: String, fromMe: Bool = false) -> Data {
        var fields: [String: Any] = ["id": id, "text": text, "fromMe": fromMe]
        fields["from"] = phone
        fields["lid"] = lid
        return try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    }

    /// A unit "loja" on Evolution with a webhook secret; returns its id and the secret.
    func connectedUnit(_ store: SQLStore) async throws -> (BusinessUnit, String) {
        let unit = try await UnitService(store: store).create(name: "Loja")
        let secret = WebhookSecret.generate()
        try await store.saveConnection(WhatsAppConnection(
            unitId: unit.id, provider: .evolution, instanceName: "crm-loja", webhookSecretHash: WebhookSecret.hash(secret),
            createdAt: t0, updatedAt: t0
        ))
        return (unit, secret)
    }

    /// phone or lid → (opted out, opted out at).
    func optOuts(_ database: CRMDatabase) async throws -> [String: (Bool, Date?)] {
        try await database.withUnsafeSQL { sql in
            var result: [String: (Bool, Date?)] = [:]
            for row in try await sql.raw("SELECT phone, lid, opted_out, opted_out_at FROM contacts").all() {
                let key = try row.optional("phone", as: String.self) ?? "lid:" + (try row.optional("lid", as: String.self) ?? "?")
                result[key] = (try row.decode(column: "opted_out", as: Bool.self), try row.optional("opted_out_at", as: Date.self))
            }
            return result
        }
    }

    @Test("one by one: the whole text opts out once; a sentence, our own echo or a duplicate does not", arguments: TestDatabaseKind.stores)
    func oneByOne(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let (unit, secret) = try await connectedUnit(store)
            let clock = TestClock(t0)
            let ingestion = WebhookIngestion(
                store: store, parsers: [BodyParser()], secretBox: { throw CRMError.configuration("none") }, now: clock.now)
            func receive(_ body: Data) async throws {
                let outcome = try await ingestion.receive(provider: .evolution, secret: secret, body: body)
                #expect(outcome.httpStatus == 200, "\(outcome)")
            }
            let maria = "5511987650001", joao = "5511987650002", ana = "5511987650003"
            try await receive(body("M1", from: maria, text: "Parar!"))
            try await receive(body("M2", from: joao, text: "quero parar"))
            try await receive(body("M3", from: ana, text: "STOP", fromMe: true))
            try await receive(body("M4", lid: "123456789012345", text: " sair "))
            var state = try await optOuts(database)
            #expect(state[maria]?.0 == true)
            #expect(abs((state[maria]?.1 ?? .distantPast).timeIntervalSince(t0)) < 0.001)
            #expect(state[joao]?.0 == false && state[joao]?.1 == nil)
            #expect(state[ana]?.0 == false, "our own message never opts the contact out")
            #expect(state["lid:123456789012345"]?.0 == true, "a contact known by its LID only")

            // A second STOP changes nothing: the first time stays.
            clock.advance(60)
            try await receive(body("M5", from: maria, text: "STOP"))
            #expect(abs((try await optOuts(database)[maria]?.1 ?? .distantPast).timeIntervalSince(t0)) < 0.001)

            // Opted back in: the provider's retry of the old STOP, or another body carrying it, is a duplicate.
            _ = try await store.setOptOut(unitId: unit.id, phone: maria, optedOut: false, at: clock.now())
            try await receive(body("M1", from: maria, text: "Parar!"))
            try await receive(body("M1", from: maria, text: "Parar!", fromMe: false).dropLast() + Data(",\"x\":1}".utf8))
            #expect(try await optOuts(database)[maria]?.0 == false)

            // The unit's own keywords replace the defaults.
            _ = try await UnitService(store: store).update("loja", UnitChanges(optOutKeywords: .own(try OptOutKeywords.parse("BASTA"))))
            try await receive(body("M6", from: joao, text: "stop"))
            #expect(try await optOuts(database)[joao]?.0 == false)
            try await receive(body("M7", from: joao, text: "Basta."))
            state = try await optOuts(database)
            #expect(state[joao]?.0 == true)
            #expect(abs((state[joao]?.1 ?? .distantPast).timeIntervalSince(t0 + 60)) < 0.001)
            let bodies = try await database.withUnsafeSQL { sql in
                try await sql.raw("SELECT count(*) AS n FROM messages WHERE body IN ('Basta.', 'Parar!', ' sair ')").first()?
                    .decode(column: "n", as: Int.self)
            }
            #expect(bodies == 3, "the keyword messages are stored like any other")
        }
    }

    @Test("batched: the keyword messages among many opt their contacts out, in the batches", arguments: TestDatabaseKind.stores)
    func batched(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let (_, secret) = try await connectedUnit(store)
            let counting = CountingBatchStore(store)
            let ingestion = WebhookIngestion(
                store: store, parsers: [BodyParser()], secretBox: { throw CRMError.configuration("none") },
                batcher: InboundBatcher(store: counting, maxBatch: 8, maxConcurrentBatches: 2),
                optOutCache: OptOutKeywordCache(ttl: 60)
            )
            let keywords = [3: "SAIR", 7: " stop ", 11: "Cancelar.", 12: "quero sair", 13: "STOP agora"]
            let bodies = (0..<30).map { index in
                body("B\(index)", from: "55119876500\(10 + index % 20)", text: keywords[index] ?? "oi \(index)")
            }
            let outcomes = try await withThrowingTaskGroup(of: WebhookIngestion.Outcome.self) { group in
                for body in bodies.shuffled() {
                    group.addTask { try await ingestion.receive(provider: .evolution, secret: secret, body: body) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { $0.httpStatus == 200 }, "\(outcomes)")
            #expect(await counting.stored == 30, "every body went through the batches")
            #expect(await counting.optingOut == 3)
            let state = try await optOuts(database)
            #expect(state.count == 20)
            // Bodies 3, 7 and 11 come from the contacts ending in 13, 17 and 21 (the first two also wrote "oi").
            #expect(Set(state.filter { $0.value.0 }.keys) == ["5511987650013", "5511987650017", "5511987650021"])
            #expect(state.values.allSatisfy { $0.0 == ($0.1 != nil) })
        }
    }

    @Test("batch store: a flagged message opts out once, at its time; a flagged duplicate does not", arguments: TestDatabaseKind.stores)
    func batchStore(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let unit = try await UnitService(store: store).create(name: "Loja")
            func item(_ id: String, phone: String, text: String, at offset: Double, optsOut: Bool) -> InboundWebhook {
                let date = t0.addingTimeInterval(offset)
                let raw = "{\"id\":\"\(id)\",\"n\":\(offset)}"
                return InboundWebhook(
                    record: StoredWebhookEvent(
                        unitId: unit.id, provider: .evolution, eventType: "inboundMessage", instance: "crm-loja",
                        dedupeKey: WebhookIngestion.dedupeKey(Data(raw.utf8)), body: raw, result: .applied, attempts: 1,
                        receivedAt: date, appliedAt: date),
                    message: IncomingMessage(
                        unitId: unit.id, provider: .evolution, externalId: id, phone: phone, lid: nil, senderName: nil,
                        fromMe: false, kind: .text, body: text, sentAt: date, receivedAt: date, optsOut: optsOut))
            }
            let maria = "5511987650001", joao = "5511987650002"
            _ = try await store.storeIncomingMessage(item("OLD", phone: joao, text: "STOP", at: -10, optsOut: false).message)
            let first = try await store.storeInboundBatch([
                item("A1", phone: maria, text: "oi", at: 0, optsOut: false),
                item("A2", phone: maria, text: "STOP", at: 1, optsOut: true),
                item("A3", phone: maria, text: "PARAR", at: 2, optsOut: true),
                item("OLD", phone: joao, text: "STOP", at: 3, optsOut: true),  // another body of a stored message
            ])
            #expect(first[3] == .duplicateMessage)
            var state = try await optOuts(database)
            #expect(state[maria]?.0 == true && abs((state[maria]?.1 ?? .distantPast).timeIntervalSince(t0 + 1)) < 0.001)
            #expect(state[joao]?.0 == false)

            _ = try await store.storeInboundBatch([item("A4", phone: maria, text: "SAIR", at: 20, optsOut: true)])
            state = try await optOuts(database)
            #expect(abs((state[maria]?.1 ?? .distantPast).timeIntervalSince(t0 + 1)) < 0.001, "a second STOP changes nothing")
        }
    }
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: @Sendable () -> Date { { self.current.withLock { $0 } } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
}
