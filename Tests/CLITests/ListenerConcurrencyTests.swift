import CRMCore
import CRMProviders
import CRMTestSupport
import Foundation
import Testing

/// Several listeners on one PostgreSQL database, each body posted several times at once:
/// every message stored exactly once.
@Suite("crm webhook serve: concurrency")
struct ListenerConcurrencyTests {
    @Test("2,000 inbound events posted 3 times each, in random order, on 32 connections, to two listeners")
    func twoListeners() async throws {
        try await HeavyTestGate.run {
            guard TestDatabaseKind.available.contains(.postgres) else { return }  // needs CRM_TEST_POSTGRES_URL (always set in CI)
            try await ListenerFixture.with(.postgres) { f in
                let connect = try #require(try await f.whatsapp(["connect", "--no-wait", "--json"]).json as? [String: Any])
                let path = ListenerFixture.path(of: try #require(connect["webhookURL"] as? String))
                var environment = f.pairing.base.cli.environment
                environment.merge(f.pairing.environment) { _, new in new }
                let second = try await ListenerProcess.start(databaseURL: f.pairing.base.databaseURL, environment: environment)
                let other = ListenerFixture(pairing: f.pairing, listener: second)

                let bodies = try (0..<2_000).map { index in
                    try WebhookTriggerEvent.evolutionMessagesUpsert.request(
                        instance: "crm-loja", contactPhone: "55119\(String(format: "%08d", index))", metaAppSecret: nil).body
                }
                var posts = (bodies + bodies + bodies).enumerated().map { ($0.offset, $0.element) }
                posts.shuffle()
                let batches = stride(from: 0, to: posts.count, by: posts.count / 32 + 1).map { Array(posts[$0..<min($0 + posts.count / 32 + 1, posts.count)]) }
                let answers = try await withThrowingTaskGroup(of: [(Int, String?)].self) { group in
                    for (index, batch) in batches.enumerated() {
                        let target = index.isMultiple(of: 2) ? f : other
                        group.addTask {
                            var results: [(Int, String?)] = []
                            for (_, body) in batch {
                                let reply = try await target.post(path, body: body)
                                results.append((reply.status, reply.json["result"] as? String))
                            }
                            return results
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(answers.count == 6_000 && batches.count == 32)
                #expect(answers.allSatisfy { $0.0 == 200 }, "\(Set(answers.map(\.0)))")
                #expect(answers.filter { $0.1 == "duplicate" }.count == 4_000)
                #expect(answers.filter { $0.1 == "applied" }.count == 2_000)
                #expect(try await f.count("SELECT count(*) AS n FROM messages") == 2_000)
                #expect(try await f.count("SELECT count(*) AS n FROM contacts") == 2_000)
                #expect(try await f.count("SELECT count(*) AS n FROM webhook_events WHERE event_type = 'inboundMessage'") == 2_000)
                let dedupes = try await f.get("/metrics").text + (try await other.get("/metrics").text)
                let counted = dedupes.split(separator: "\n").filter { $0.hasPrefix("crm_webhook_dedupes_total") }
                    .compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
                #expect(counted == 4_000, "dedupe counters of both listeners")
                #expect(await second.stop() == 0)
            }
        }
    }
}
