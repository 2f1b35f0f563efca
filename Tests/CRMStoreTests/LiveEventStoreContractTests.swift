import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

/// The live feed's reads (`GET /events`), on every database kind, and the feed's paging over them.
@Suite("Live event store contract")
struct LiveEventStoreContractTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func queue(_ store: SQLStore, unit: UUID, count: Int, from start: Int = 0, at date: Date) async throws -> [UUID] {
        var ids: [UUID] = []
        for index in start..<(start + count) {
            let request = OutboundRequest(
                unitId: unit, provider: .evolution, phone: "55119\(String(format: "%08d", index))", body: "texto \(index)",
                clientMessageId: "live-\(index)", queuedAt: date.addingTimeInterval(Double(index) / 1000))
            guard case .created(let message) = try await store.enqueueOutbound(request) else { throw CRMError.conflict("live") }
            ids.append(message.id)
        }
        return ids
    }

    @Test("messages created and moved on, by unit; a change before `since` is left out", arguments: TestDatabaseKind.stores)
    func changes(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            let outra = try await UnitService(store: store).create(name: "Outra")
            let mine = try await queue(store, unit: loja.id, count: 3, at: t0)
            _ = try await queue(store, unit: outra.id, count: 2, from: 10, at: t0)

            let created = try await store.liveChanges(unitIds: [loja.id], since: t0.addingTimeInterval(-1), limit: 100)
            #expect(created.map(\.subjectId) == mine && created.allSatisfy { $0.kind == .messageCreated && $0.unitId == loja.id })
            #expect(created.first?.fields["status"] == .text("queued") && created.first?.fields["direction"] == .text("outbound"))
            #expect(try await store.liveChanges(unitIds: nil, since: t0.addingTimeInterval(-1), limit: 100).count == 5)
            #expect(try await store.liveChanges(unitIds: [], since: t0.addingTimeInterval(-1), limit: 100).isEmpty)
            #expect(try await store.liveChanges(unitIds: [loja.id], since: t0.addingTimeInterval(-1), limit: 2).count == 2)

            try await store.recordSent(id: mine[1], externalId: "LIVE1", attempts: 1, at: t0.addingTimeInterval(60))
            let moved = try await store.liveChanges(unitIds: [loja.id], since: t0.addingTimeInterval(30), limit: 100)
            #expect(moved.map(\.subjectId) == [mine[1]] && moved.first?.kind == .messageStatus && moved.first?.fields["status"] == .text("sent"))
        }
    }

    @Test("the feed pages through a burst larger than a page within its overlap, each change once", arguments: [TestDatabaseKind.sqlite])
    func feedPaging(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            let now = Date()
            let ids = try await queue(store, unit: loja.id, count: 35, at: now)
            let feed = LiveEventFeed(store: store, overlap: 5, pageSize: 10)
            var subscription = LiveEventFeed.Subscription(from: now.addingTimeInterval(-1), resuming: true)
            // A poll sends about a page; the next ones page past what was sent, within the overlap.
            var received: [UUID] = []
            for _ in 0..<10 {
                let events = try await feed.poll(&subscription, unitIds: [loja.id], campaigns: false)
                #expect(events.count <= 2 * 10)
                received += events.map(\.subjectId)
            }
            #expect(received == ids, "\(received.count) of 35")
            var fresh = LiveEventFeed.Subscription(from: Date(), resuming: false)
            #expect(try await feed.poll(&fresh, unitIds: [loja.id], campaigns: false).isEmpty, "a new subscriber gets no past")
        }
    }
}
