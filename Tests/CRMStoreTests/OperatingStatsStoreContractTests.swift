import CRMCore
import CRMTestSupport
import Foundation
import Testing

@testable import CRMStore

/// `crm stats`' counts on both databases: the period's bounds, the unit filter, each result and
/// status counted where it belongs, the re-applied bodies and the outbound retries.
@Suite("Operating stats store contract")
struct OperatingStatsStoreContractTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// A stored body of `unit` received at `at`, with the result and attempts given.
    func event(
        _ store: SQLStore, unit: UUID, _ result: WebhookEventResult, attempts: Int = 1, at: Date, provider: ProviderKind = .evolution
    ) async throws {
        let stored = StoredWebhookEvent(
            unitId: unit, provider: provider, eventType: "inboundMessage", instance: "crm-x", dedupeKey: UUID().uuidString,
            body: "{}", result: result, attempts: attempts, receivedAt: at
        )
        #expect(try await store.recordWebhookEvent(stored) == nil, "a new body is stored")
    }

    @Test("webhook bodies by result, in the period, per unit or for all", arguments: TestDatabaseKind.available)
    func webhookTally(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let seed = MessagingSeed(database)
            let a = try await seed.unit("loja-a")
            let b = try await seed.unit("loja-b")
            for (result, count) in [(WebhookEventResult.applied, 5), (.ignored, 2), (.failed, 1), (.invalid, 1), (.pending, 1),
                                    (.unknownInstance, 2)] {
                for index in 0..<count { try await event(store, unit: a, result, at: t0 + Double(index)) }
            }
            try await event(store, unit: a, .applied, attempts: 3, at: t0 + 30)  // re-applied after failing twice
            try await event(store, unit: a, .failed, attempts: 2, at: t0 + 40, provider: .zapi)
            try await event(store, unit: a, .applied, at: t0 - 1)  // before the period
            try await event(store, unit: a, .applied, at: t0 + 3_601)  // after it
            try await event(store, unit: b, .applied, at: t0 + 50)
            try await event(store, unit: b, .failed, at: t0 + 60)

            let period = StatsPeriod(unitId: a, since: t0, until: t0 + 3_600)
            let onlyA = try await store.webhookEventTally(period)
            #expect(onlyA.byResult == [.applied: 6, .ignored: 2, .failed: 2, .invalid: 1, .pending: 1, .unknownInstance: 2])
            #expect(onlyA.reapplied == 2)
            #expect(onlyA.total == 14)

            let all = try await store.webhookEventTally(StatsPeriod(since: t0, until: t0 + 3_600))
            #expect(all[.applied] == 7 && all[.failed] == 3 && all.total == 16)
            // Bounds are inclusive on both sides.
            #expect(try await store.webhookEventTally(StatsPeriod(unitId: a, since: t0 + 30, until: t0 + 40)).byResult
                == [.applied: 1, .failed: 1])
            #expect(try await store.webhookEventTally(StatsPeriod(unitId: UUID(), since: t0, until: t0 + 3_600)) == WebhookEventTally())
        }
    }

    @Test("messages by direction and status, and the outbound provider calls and retries", arguments: TestDatabaseKind.available)
    func messageTally(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let seed = MessagingSeed(database)
            let a = try await seed.unit("loja-a")
            let b = try await seed.unit("loja-b")
            let maria = try await seed.contact(unit: a, phone: "5511998765432", at: t0)
            let other = try await seed.contact(unit: b, phone: "5511998765432", at: t0)
            try await seed.message(maria, at: t0)
            try await seed.message(maria, at: t0 + 10)
            try await seed.message(maria, at: t0 - 10)  // before the period
            // retry_count is the number of send calls: 1 for a first-time success, 0 for the phone's own.
            try await seed.message(maria, direction: .outbound, state: .sent, retryCount: 1, at: t0 + 20)
            try await seed.message(maria, direction: .outbound, state: .delivered, retryCount: 2, at: t0 + 30)
            try await seed.message(maria, direction: .outbound, state: .failed, retryCount: 3, at: t0 + 40)
            try await seed.message(maria, direction: .outbound, state: .queued, retryCount: 1, at: t0 + 50)
            try await seed.message(maria, direction: .outbound, state: .delivered, at: t0 + 60)  // sent from the phone
            try await seed.message(other, direction: .outbound, state: .read, retryCount: 1, at: t0 + 70)
            try await seed.message(other, at: t0 + 80)

            let onlyA = try await store.messageTally(StatsPeriod(unitId: a, since: t0, until: t0 + 100))
            #expect(onlyA.inbound == [.received: 2])
            #expect(onlyA.outbound == [.sent: 1, .delivered: 2, .failed: 1, .queued: 1])
            #expect(onlyA.outboundCalls == 7)
            #expect(onlyA.outboundRetries == 3)
            #expect(onlyA.outboundRetried == 2)

            let all = try await store.messageTally(StatsPeriod(since: t0, until: t0 + 100))
            #expect(all.inbound == [.received: 3])
            #expect(all.outbound == [.sent: 1, .delivered: 2, .failed: 1, .queued: 1, .read: 1])
            #expect(all.outboundCalls == 8 && all.outboundRetries == 3 && all.outboundRetried == 2)

            let stats = try await OperatingStats.load(StatsPeriod(unitId: a, since: t0, until: t0 + 100), from: store)
            #expect(stats.outboundRetryRate == 3.0 / 7.0)
            #expect(try await store.messageTally(StatsPeriod(since: t0 + 1_000, until: t0 + 2_000)) == MessageTally())
        }
    }
}
