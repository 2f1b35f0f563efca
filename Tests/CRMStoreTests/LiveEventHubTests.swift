import CRMCore
import CRMTestSupport
import Foundation
import Logging
import Testing

@testable import CRMStore

/// The listener's shared live feed reader over a real (SQLite) store: who gets what, a burst
/// larger than a page, a subscriber that stops reading, and the hub stopping.
@Suite("Live event hub")
struct LiveEventHubTests {
    /// A hub over `database` that reads only when a commit signals it (its poll is an hour).
    func hub(_ database: CRMDatabase, pageSize: Int = 500, tick: Duration = .milliseconds(50), buffer: Int = 256) -> LiveEventHub {
        var configuration = LiveEventHub.Configuration(pollInterval: .seconds(3_600))
        configuration.tick = tick
        configuration.campaignInterval = .zero
        configuration.subscriberBuffer = buffer
        return LiveEventHub(
            feed: LiveEventFeed(store: database.store, pageSize: pageSize), signal: database, configuration: configuration,
            logger: Logger(label: "hub-test"))
    }

    /// Runs `body` while `hub` runs; stops the hub (and waits for it) before the database closes.
    func running<T>(_ hub: LiveEventHub, _ body: () async throws -> T) async throws -> T {
        let task = Task { await hub.run() }
        do {
            let result = try await body()
            task.cancel()
            await task.value
            return result
        } catch {
            task.cancel()
            await task.value
            throw error
        }
    }

    func queue(_ store: SQLStore, unit: UUID, index: Int) async throws -> UUID {
        let request = OutboundRequest(
            unitId: unit, provider: .evolution, phone: "55119\(String(format: "%08d", index))", body: "texto \(index)",
            clientMessageId: "hub-\(index)", queuedAt: Date())
        guard case .created(let message) = try await store.enqueueOutbound(request) else { throw CRMError.conflict("hub") }
        return message.id
    }

    @Test("each subscriber gets its own units' changes, campaign progress only when allowed, a super admin everything")
    func scoping() async throws {
        try await TestDatabases.with(.sqlite) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            let outra = try await UnitService(store: store).create(name: "Outra")
            let hub = hub(database)
            try await running(hub) {
                let agent = StreamCollector(batches: await hub.subscribe(.init(unitIds: [loja.id], campaigns: false)).events)
                let admin = StreamCollector(batches: await hub.subscribe(.init(unitIds: [outra.id], campaigns: true)).events)
                let root = StreamCollector(batches: await hub.subscribe(.init(unitIds: nil, campaigns: true)).events)
                defer { [agent, admin, root].forEach { $0.stop() } }

                let mine = try await queue(store, unit: loja.id, index: 1)
                let theirs = try await queue(store, unit: outra.id, index: 2)
                let created = try await store.createCampaign(NewCampaign(
                    unitId: outra.id, name: "Promo", bodyTemplate: "Oi", pacing: CampaignPacing(rate: .unlimited), createdAt: Date(),
                    recipients: [NewCampaign.Recipient(phone: "5511900000099", name: nil, variables: [:], body: "Oi")]))
                _ = try await store.changeCampaignStatus(id: created.campaign.id, from: [.draft], to: .running, at: Date())

                let campaign = created.campaign.id
                #expect(await root.until { events in
                    Set(events.map(\.subjectId)).isSuperset(of: [mine, theirs, campaign])
                }, "\(root.all.map(\.kind))")
                #expect(await admin.until { $0.contains { $0.subjectId == campaign } && $0.contains { $0.subjectId == theirs } })
                #expect(await agent.until { $0.contains { $0.subjectId == mine } })
                #expect(agent.all.allSatisfy { $0.unitId == loja.id && $0.kind != .campaignProgress }, "\(agent.all)")
                #expect(admin.all.allSatisfy { $0.unitId == outra.id }, "\(admin.all)")
                #expect(agent.all.filter { $0.subjectId == mine && $0.kind == .messageCreated }.count == 1, "once")
            }
        }
    }

    @Test("a burst larger than a page reaches a subscriber whole, each change once")
    func burst() async throws {
        try await TestDatabases.with(.sqlite) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            let hub = hub(database, pageSize: 10)
            try await running(hub) {
                let subscriber = StreamCollector(batches: await hub.subscribe(.init(unitIds: nil, campaigns: false)).events)
                defer { subscriber.stop() }
                var ids: [UUID] = []
                for index in 0..<35 { ids.append(try await queue(store, unit: loja.id, index: index)) }
                #expect(await subscriber.until { Set($0.map(\.subjectId)).isSuperset(of: ids) }, "\(subscriber.all.count) of 35")
                let created = subscriber.all.filter { $0.kind == .messageCreated }.map(\.subjectId)
                #expect(created.count == Set(created).count, "a change delivered twice")
            }
        }
    }

    @Test("a subscriber that stops reading is dropped; the hub goes on for the others")
    func slowSubscriber() async throws {
        try await TestDatabases.with(.sqlite) { database in
            let loja = try await UnitService(store: database.store).create(name: "Loja")
            let hub = hub(database, tick: .milliseconds(10), buffer: 3)
            try await running(hub) {
                let (_, stalled) = await hub.subscribe(.init(unitIds: nil, campaigns: false))
                let reader = StreamCollector(batches: await hub.subscribe(.init(unitIds: nil, campaigns: false)).events)
                defer { reader.stop() }
                // A tick every 10 ms: the stalled one's three batches are soon full.
                let deadline = ContinuousClock.now + .seconds(30)
                while await hub.subscriberCount > 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                #expect(await hub.subscriberCount == 1)
                var batches = 0
                for await _ in stalled { batches += 1 }
                #expect(batches == 3, "what it held when it was dropped")
                let id = try await queue(database.store, unit: loja.id, index: 7)
                #expect(await reader.until { $0.contains { $0.subjectId == id } })
            }
        }
    }

    @Test("when the hub stops every stream ends, and a later subscriber's at once")
    func stopping() async throws {
        try await TestDatabases.with(.sqlite) { database in
            let hub = hub(database)
            let running = Task { await hub.run() }
            let subscriber = StreamCollector(batches: await hub.subscribe(.init(unitIds: nil, campaigns: true)).events)
            running.cancel()
            await running.value
            #expect(await subscriber.until { _ in subscriber.hasEnded })
            let late = StreamCollector(batches: await hub.subscribe(.init(unitIds: nil, campaigns: true)).events)
            #expect(await late.until { _ in late.hasEnded })
            #expect(await hub.subscriberCount == 0)
        }
    }
}
