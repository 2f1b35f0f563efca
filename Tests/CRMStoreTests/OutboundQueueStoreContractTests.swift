import CRMCore
import CRMTestSupport
import Foundation
import Testing

@testable import CRMStore

/// The outbound worker's claims, on every database kind: what is due is claimed once, by one
/// claimer, however many claim at the same instant (PostgreSQL pooled and two databases handles
/// on one database included).
@Suite("Outbound queue store contract")
struct OutboundQueueStoreContractTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// A unit with an Evolution connection in `state`.
    func unit(_ store: SQLStore, _ name: String, _ state: ConnectionState) async throws -> BusinessUnit {
        let unit = try await UnitService(store: store).create(name: name)
        try await store.saveConnection(WhatsAppConnection(
            unitId: unit.id, provider: .evolution, instanceName: "crm-\(unit.slug)", status: ConnectionStatus(state: state),
            createdAt: t0, updatedAt: t0))
        return unit
    }

    /// A queued message through the real enqueue path, queued at `t0 + offset`.
    func queue(_ store: SQLStore, _ unit: BusinessUnit, _ key: String, phone: String = "5511998765432", offset: Double) async throws
        -> Message
    {
        let request = OutboundRequest(
            unitId: unit.id, provider: .evolution, phone: phone, body: "texto \(key)", clientMessageId: key,
            queuedAt: t0.addingTimeInterval(offset))
        guard case .created(let message) = try await store.enqueueOutbound(request) else { throw CRMError.conflict(key) }
        return message
    }

    func ids(_ claimed: [QueuedOutbound]) -> [UUID] { claimed.map(\.message.id) }

    @Test("due messages are claimed oldest first; leased, not yet due, sent, failed and disconnected units' are not; an expired lease is",
          arguments: TestDatabaseKind.stores)
    func whatIsDue(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await unit(store, "Loja", .connected)
            let fechada = try await unit(store, "Fechada", .disconnected)
            let now = t0.addingTimeInterval(100)
            let free = try await queue(store, loja, "free", offset: 1)
            let leased = try await queue(store, loja, "leased", offset: 2)
            #expect(try await store.claimOutbound(id: leased.id, owner: "crm-send", until: now.addingTimeInterval(100), now: t0))
            let expired = try await queue(store, loja, "expired", offset: 3)
            #expect(try await store.claimOutbound(id: expired.id, owner: "crashed", until: now.addingTimeInterval(-1), now: t0))
            let later = try await queue(store, loja, "later", offset: 4)
            try await store.recordRetry(id: later.id, attempts: 1, error: "HTTP 500", nextAttemptAt: now.addingTimeInterval(5), at: t0)
            let due = try await queue(store, loja, "due", offset: 5)
            try await store.recordRetry(id: due.id, attempts: 2, error: "HTTP 500", nextAttemptAt: now, at: t0)
            let sent = try await queue(store, loja, "sent", offset: 6)
            try await store.recordSent(id: sent.id, externalId: "3EB0SENT", attempts: 1, at: t0)
            let failed = try await queue(store, loja, "failed", offset: 7)
            try await store.recordFailed(id: failed.id, attempts: 1, code: "401", error: "refused", at: t0)
            let waiting = try await queue(store, fechada, "waiting", offset: 0)

            let first = try await store.claimDueOutbound(limit: 1, owner: "w1", until: now.addingTimeInterval(120), now: now, excludingUnits: [])
            #expect(ids(first) == [free.id], "the oldest first, and no more than the limit")
            #expect(first.first?.phone == "5511998765432" && first.first?.message.body == "texto free")
            let rest = try await store.claimDueOutbound(limit: 10, owner: "w1", until: now.addingTimeInterval(120), now: now, excludingUnits: [])
            #expect(ids(rest) == [expired.id, due.id])
            #expect(rest.last?.message.retryCount == 2, "the claim carries the attempts made so far")
            #expect(try await store.claimDueOutbound(limit: 10, owner: "w2", until: now.addingTimeInterval(120), now: now, excludingUnits: []).isEmpty)
            // The worker's lease holds against `crm send` too.
            #expect(try await store.claimOutbound(id: free.id, owner: "crm-send", until: now.addingTimeInterval(100), now: now) == false)

            #expect(try await store.outboundAwaitingConnection() == [OutboundWaitingUnit(unitId: fechada.id, slug: "fechada", queued: 1)])
            try await store.saveConnection(WhatsAppConnection(
                unitId: fechada.id, provider: .evolution, instanceName: "crm-fechada", status: ConnectionStatus(state: .connected),
                createdAt: t0, updatedAt: t0))
            #expect(try await store.outboundAwaitingConnection().isEmpty)
            #expect(try await store.claimDueOutbound(limit: 10, owner: "w2", until: now.addingTimeInterval(120), now: now,
                                                     excludingUnits: [fechada.id]).isEmpty)
            #expect(ids(try await store.claimDueOutbound(limit: 10, owner: "w2", until: now.addingTimeInterval(120), now: now,
                                                         excludingUnits: [])) == [waiting.id])

            // A release by another owner changes nothing; the owner's puts the message back, attempts untouched.
            try await store.releaseOutbound(ids: [expired.id], owner: "w2", at: now)
            #expect(try await store.claimDueOutbound(limit: 10, owner: "w3", until: now.addingTimeInterval(120), now: now, excludingUnits: []).isEmpty)
            try await store.releaseOutbound(ids: [expired.id, due.id], owner: "w1", at: now)
            let again = try await store.claimDueOutbound(limit: 10, owner: "w3", until: now.addingTimeInterval(120), now: now, excludingUnits: [])
            #expect(ids(again) == [expired.id, due.id] && again.map(\.message.retryCount) == [0, 2])
            // Once the leases expire (a crashed worker), the messages are claimed again.
            let after = now.addingTimeInterval(121)
            #expect(Set(ids(try await store.claimDueOutbound(limit: 10, owner: "w4", until: after.addingTimeInterval(120), now: after,
                                                             excludingUnits: [])))
                    == [free.id, leased.id, expired.id, later.id, due.id, waiting.id])
        }
    }

    @Test("claimers at the same instant, on two database handles, get disjoint sets that cover the queue",
          arguments: TestDatabaseKind.stores)
    func concurrentClaims(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let loja = try await unit(database.store, "Loja", .connected)
            for index in 0..<200 {
                _ = try await queue(database.store, loja, "m\(index)", phone: "55119000\(String(format: "%05d", index))", offset: Double(index))
            }
            // A second handle on the same database, as a second listener would open it.
            let other = try await CRMDatabase.open(database.location, poolSize: kind.poolSize, logger: TestDatabases.logger)
            let now = t0.addingTimeInterval(1_000)
            let claims: [[UUID]]
            do {
                claims = try await withThrowingTaskGroup(of: [UUID].self) { group in
                    for claimer in 0..<8 {
                        let store = claimer.isMultiple(of: 2) ? database.store : other.store
                        group.addTask {
                            var mine: [UUID] = []
                            while true {
                                let batch = try await store.claimDueOutbound(
                                    limit: 7, owner: "w\(claimer)", until: now.addingTimeInterval(120), now: now, excludingUnits: [])
                                if batch.isEmpty { return mine }
                                mine += batch.map(\.message.id)
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            } catch {
                await other.close()
                throw error
            }
            await other.close()
            let all = claims.flatMap { $0 }
            #expect(all.count == 200, "every message claimed once: \(all.count) claims")
            #expect(Set(all).count == 200)
            #expect(claims.filter { !$0.isEmpty }.count > 1, "the work was shared")
        }
    }
}
