import CRMCore
import CRMProviders
import CRMStore
import CRMTestSupport
import Foundation
import NIOConcurrencyHelpers
import Testing

/// The listener killed with SIGKILL in the middle of a burst of inbound webhooks, started again,
/// and the whole burst posted again (as providers retry what went unanswered): no message lost,
/// none stored twice.
@Suite("crm webhook serve: crash and restart")
struct ListenerRestartTests {
    static let bodyCount = 240
    static let connections = 12
    /// The listener is killed when this many posts have been answered.
    static let killAfter = 80

    @Test("kill -9 mid-burst, restart, post the burst again: every message stored once", arguments: TestDatabaseKind.available)
    func crashMidBurst(kind: TestDatabaseKind) async throws {
        try await PairingFixture.with(kind) { pairing in
            var environment = pairing.base.cli.environment
            environment.merge(pairing.environment) { _, new in new }
            let first = try await ListenerProcess.start(databaseURL: pairing.base.databaseURL, environment: environment)
            let f = ListenerFixture(pairing: pairing, listener: first)
            let connect = try #require(try await f.whatsapp(["connect", "--no-wait", "--json"]).json as? [String: Any])
            let path = ListenerFixture.path(of: try #require(connect["webhookURL"] as? String))
            let bodies = try (0..<Self.bodyCount).map { index in
                try WebhookTriggerEvent.evolutionMessagesUpsert.request(
                    instance: "crm-loja", contactPhone: "55119\(String(format: "%08d", index))", metaAppSecret: nil).body
            }

            // The burst: the post that brings the answers to `killAfter` kills the listener, while the
            // other connections have requests in flight. Then the lanes stop, as a provider does until
            // its next retry (a post to a dead port would wait for its whole timeout).
            let answered = NIOLockedValueBox(0)
            let process = first.process!
            let firstReplies = try await Self.post(bodies, to: path, on: f, timeout: 5) { status in
                guard status == 200 else { return answered.withLockedValue { $0 } < Self.killAfter }
                let count = answered.withLockedValue { $0 += 1; return $0 }
                if count == Self.killAfter { process.send(SIGKILL) }
                return count < Self.killAfter
            }
            await first.crash()
            let answeredBeforeKill = firstReplies.compactMap { $0 }.count
            #expect(answeredBeforeKill >= Self.killAfter)
            #expect(answeredBeforeKill < Self.bodyCount, "the listener died in the middle of the burst")
            #expect(firstReplies.compactMap { $0 }.allSatisfy { $0 == "applied" }, "\(firstReplies)")

            // The window a crash can leave: a body stored, not yet applied. Make sure there is one (the
            // kill above may or may not have hit that window), with a body the dead listener never stored.
            let unanswered = firstReplies.indices.filter { firstReplies[$0] == nil }
            let pendingIndex = try #require(try await Self.storePending(unanswered.map { ($0, bodies[$0]) }, database: pairing.base.databaseURL))
            let pendingLeft = try await f.count("SELECT count(*) AS n FROM webhook_events WHERE result = 'pending'")
            #expect(pendingLeft >= 1)
            let storedBefore = try await f.count("SELECT count(*) AS n FROM webhook_events WHERE event_type = 'inboundMessage'")

            // Started again, it applies what was left pending before it listens.
            let second = try await ListenerProcess.start(databaseURL: pairing.base.databaseURL, environment: environment)
            let g = ListenerFixture(pairing: pairing, listener: second)
            #expect(try await g.count("SELECT count(*) AS n FROM webhook_events WHERE result = 'pending'") == 0)
            #expect(second.logText.contains("applied webhooks left pending by a previous run"), "\(second.logText.suffix(2000))")
            let recovered = second.logText.firstMatch(of: /count=(\d+)/).flatMap { Int($0.1) }
            #expect(recovered == pendingLeft, "\(second.logText.suffix(2000))")

            // The providers retry: every body of the burst again.
            let secondReplies = try await Self.post(bodies, to: path, on: g) { _ in true }
            #expect(secondReplies.allSatisfy { $0 != nil }, "every retry answered 200")
            #expect(secondReplies.filter { $0 == "applied" }.count == Self.bodyCount - storedBefore)
            #expect(secondReplies.filter { $0 == "duplicate" }.count == storedBefore)
            // The body that was pending came back as a duplicate: it was applied at start, not lost.
            #expect(secondReplies[pendingIndex] == "duplicate")

            #expect(try await g.count("SELECT count(*) AS n FROM messages") == Self.bodyCount)
            #expect(try await g.count("SELECT count(DISTINCT external_id) AS n FROM messages") == Self.bodyCount)
            #expect(try await g.count("SELECT count(*) AS n FROM contacts") == Self.bodyCount)
            #expect(try await g.count(
                "SELECT count(*) AS n FROM webhook_events WHERE event_type = 'inboundMessage' AND result = 'applied'") == Self.bodyCount)
            #expect(await second.stop() == 0, "\(second.logText.suffix(2000))")
        }
    }

    /// Posts every body once, on `connections` concurrent connections, while `onAnswer` (given each
    /// answer's status, 0 for none) says to go on. The result per body is the listener's `result`
    /// for a 200 answer, nil when the post failed, was answered otherwise or was not sent.
    static func post(
        _ bodies: [Data], to path: String, on fixture: ListenerFixture, timeout: Int64 = 30,
        onAnswer: @escaping @Sendable (Int) -> Bool
    ) async throws -> [String?] {
        let shares = (0..<connections).map { lane in Array(stride(from: lane, to: bodies.count, by: connections)) }
        let results = await withTaskGroup(of: [(Int, String?)].self) { group in
            for share in shares {
                group.addTask {
                    var results: [(Int, String?)] = []
                    for index in share {
                        let reply = try? await fixture.post(path, body: bodies[index], timeout: timeout)
                        results.append((index, reply?.status == 200 ? reply?.json["result"] as? String : nil))
                        guard onAnswer(reply?.status ?? 0) else { break }
                    }
                    return results
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        var byIndex = [String?](repeating: nil, count: bodies.count)
        for (index, result) in results { byIndex[index] = result }
        return byIndex
    }

    /// Stores the first of `candidates` that is not stored yet as the listener does before applying
    /// it, and stops there: the state a kill between the two steps leaves. Returns its index.
    static func storePending(_ candidates: [(Int, Data)], database url: String) async throws -> Int? {
        let database = try await CRMDatabase.open(try DatabaseLocation.parse(url), logger: TestDatabases.logger)
        do {
            let unit = try #require(try await database.store.unit(slug: "loja"))
            for (index, body) in candidates {
                let event = StoredWebhookEvent(
                    unitId: unit.id, provider: .evolution, eventType: "inboundMessage", instance: "crm-loja",
                    dedupeKey: WebhookIngestion.dedupeKey(body), body: String(decoding: body, as: UTF8.self), receivedAt: Date()
                )
                // nil: stored now; else the dead listener had stored it before it died.
                if try await database.store.recordWebhookEvent(event) == nil {
                    await database.close()
                    return index
                }
            }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        return nil
    }
}
