import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

/// `WebhookIngestion` over the real store: one transaction per webhook, so a body whose second
/// event fails leaves nothing of its first, and the body itself is kept as failed.
@Suite("Webhook ingestion over the store")
struct WebhookIngestionStoreTests {
    /// Returns the same events for any body.
    struct FixedParser: WebhookParser {
        let provider = ProviderKind.evolution
        let events: [WebhookEvent]
        func parse(_ body: Data, pathEvent: String?) throws(WebhookParseError) -> [WebhookEvent] { events }
    }

    func inbound(_ id: String, from phone: String) -> WebhookEvent {
        .inboundMessage(InboundMessage(
            instance: "crm-loja", externalId: id, from: phone, fromMe: false, messageType: .text, text: "oi"
        ))
    }

    func count(_ database: CRMDatabase, _ query: SQLQueryString) async throws -> Int {
        try await database.withUnsafeSQL { sql in try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    @Test("a body whose second event fails: nothing of it applied, the body kept as failed, a retry counted", arguments: TestDatabaseKind.stores)
    func failedBodyRollsBack(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            let secret = WebhookSecret.generate()
            let now = Date()
            try await store.saveConnection(WhatsAppConnection(
                unitId: loja.id, provider: .evolution, instanceName: "crm-loja", webhookSecretHash: WebhookSecret.hash(secret),
                createdAt: now, updatedAt: now
            ))
            // "123" is no phone number: the contacts table refuses it (CHECK), after the first message was written.
            let parser = FixedParser(events: [inbound("GOOD1", from: "5511987650001"), inbound("BAD1", from: "123")])
            let ingestion = WebhookIngestion(store: store, parsers: [parser], secretBox: { throw CRMError.configuration("none") })
            let body = Data(#"{"event":"messages.upsert"}"#.utf8)

            let first = try await ingestion.receive(provider: .evolution, secret: secret, body: body)
            guard case .failed(let eventId?, _) = first else { Issue.record("expected failed, got \(first)"); return }
            #expect(first.httpStatus == 500)
            #expect(try await count(database, "SELECT count(*) AS n FROM messages") == 0, "the first event is rolled back too")
            #expect(try await count(database, "SELECT count(*) AS n FROM contacts") == 0)
            let stored = try #require(try await store.webhookEvent(id: eventId))
            #expect(stored.result == .failed && stored.attempts == 1 && stored.error != nil)

            // The provider's retry of the same body applies it again (it failed), and fails again.
            let retry = try await ingestion.receive(provider: .evolution, secret: secret, body: body)
            #expect(retry == .failed(eventId: eventId, reason: stored.error!))
            #expect(try await store.webhookEvent(id: eventId)?.attempts == 2)
            #expect(try await count(database, "SELECT count(*) AS n FROM webhook_events") == 1)

            // A good body: applied, then a duplicate.
            let good = WebhookIngestion(
                store: store, parsers: [FixedParser(events: [inbound("GOOD2", from: "5511987650002")])],
                secretBox: { throw CRMError.configuration("none") }
            )
            let other = Data(#"{"event":"messages.upsert","n":2}"#.utf8)
            guard case .processed(let goodId, .applied, _) = try await good.receive(provider: .evolution, secret: secret, body: other) else {
                Issue.record("expected applied")
                return
            }
            #expect(try await good.receive(provider: .evolution, secret: secret, body: other) == .duplicate(eventId: goodId))
            #expect(try await store.webhookEvent(id: goodId)?.result == .applied)
            #expect(try await count(database, "SELECT count(*) AS n FROM messages") == 1)
        }
    }

    /// Reads `{"id": …, "from": …}` bodies: one inbound message each.
    struct BodyParser: WebhookParser {
        let provider = ProviderKind.evolution
        func parse(_ body: Data, pathEvent: String?) throws(WebhookParseError) -> [WebhookEvent] {
            let fields = (try? JSONSerialization.jsonObject(with: body)) as? [String: String] ?? [:]
            return [.inboundMessage(InboundMessage(
                instance: "crm-loja", externalId: fields["id"] ?? "?", from: fields["from"], fromMe: false, messageType: .text, text: "oi"
            ))]
        }
    }

    /// The real store, counting the batches that reach it and the items they stored.
    actor CountingBatchStore: InboundBatchStore {
        let store: SQLStore
        var batches = 0
        var stored = 0
        init(_ store: SQLStore) { self.store = store }
        nonisolated var takesBodiesAsJSON: Bool { store.takesBodiesAsJSON }
        func storeInboundBatch(_ items: [InboundWebhook]) async throws -> [InboundBatchResult] {
            batches += 1
            let results = try await store.storeInboundBatch(items)
            stored += results.filter { if case .stored = $0 { true } else { false } }.count
            return results
        }
    }

    @Test("batched: 30 bodies twice at once, one of them unstorable: 29 applied once, that one kept as failed", arguments: TestDatabaseKind.stores)
    func batchedWithPoison(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            let secret = WebhookSecret.generate()
            try await store.saveConnection(WhatsAppConnection(
                unitId: loja.id, provider: .evolution, instanceName: "crm-loja", webhookSecretHash: WebhookSecret.hash(secret),
                createdAt: Date(), updatedAt: Date()
            ))
            let counting = CountingBatchStore(store)
            let ingestion = WebhookIngestion(
                store: store, parsers: [BodyParser()], secretBox: { throw CRMError.configuration("none") },
                batcher: InboundBatcher(store: counting, maxBatch: 8, maxConcurrentBatches: 2)
            )
            // Body 7 names "123", which the contacts table refuses: its batch fails, and its companions
            // are then applied one by one.
            let bodies = (0..<30).map { index in
                let phone = index == 7 ? "123" : "55119876500\(10 + index)"
                return Data(#"{"id":"M\#(index)","from":"\#(phone)"}"#.utf8)
            }
            let outcomes = try await withThrowingTaskGroup(of: (Int, WebhookIngestion.Outcome).self) { group in
                for (index, body) in (Array(bodies.enumerated()) + Array(bodies.enumerated())).shuffled() {
                    group.addTask { (index, try await ingestion.receive(provider: .evolution, secret: secret, body: body)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for (index, outcome) in outcomes {
                if index == 7 {
                    if case .failed = outcome {} else { Issue.record("body 7: expected failed, got \(outcome)") }
                } else {
                    #expect(outcome.httpStatus == 200, "body \(index): \(outcome)")
                }
            }
            #expect(try await count(database, "SELECT count(*) AS n FROM messages") == 29)
            #expect(try await count(database, "SELECT count(DISTINCT external_id) AS n FROM messages") == 29)
            #expect(try await count(database, "SELECT count(*) AS n FROM webhook_events") == 30)
            #expect(try await count(database, "SELECT count(*) AS n FROM webhook_events WHERE result = 'applied'") == 29)
            #expect(try await count(database, "SELECT count(*) AS n FROM webhook_events WHERE result = 'failed'") == 1)
            // The batches did the work: more than one body per batch, and all but body 7's batch companions.
            let (batches, storedByBatches) = (await counting.batches, await counting.stored)
            #expect(batches < 60, "every body went alone: \(batches) batches")
            // Body 7 comes twice, so up to two batches of 8 fail and their 14 companions go one by one.
            #expect(storedByBatches >= 29 - 14, "only \(storedByBatches) stored by batches")
        }
    }
}
