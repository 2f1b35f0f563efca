import CRMCore
import CRMStore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

/// `crm stats`: the figures of the period, per unit or for all, as JSON and as text.
@Suite("crm stats")
struct StatsCommandTests {
    /// loja: 4 applied (one re-applied), 1 ignored, 1 failed, 1 invalid, 1 pending, 2 unknown instance in the last
    /// hours, one applied 3 days ago; 2 messages in, 1 out (sent on the second call). outra: 1 applied.
    func seeded(_ kind: TestDatabaseKind) async throws -> OperatingFixture {
        let f = try await OperatingFixture.make(kind)
        let now = Date()
        var phone = 5_511_900_000_100
        func next() throws -> Data {
            phone += 1
            return try OperatingFixture.inboundBody(from: "\(phone)")
        }
        for _ in 0..<3 { try await f.store(try next(), result: .applied, receivedAt: now - 600) }
        try await f.store(try next(), result: .applied, attempts: 2, receivedAt: now - 300)
        try await f.store(try next(), result: .ignored, receivedAt: now - 300)
        try await f.store(try next(), result: .failed, receivedAt: now - 300)
        try await f.store(Data("{".utf8), result: .invalid, receivedAt: now - 300)
        try await f.store(try next(), result: .pending, receivedAt: now - 60)
        for _ in 0..<2 { try await f.store(try next(), result: .unknownInstance, receivedAt: now - 60) }
        try await f.store(try next(), result: .applied, receivedAt: now - 3 * 86_400)
        #expect(try await f.crm("units", "create", "Outra").status == 0)
        try await f.base.withDatabase { database in
            let seed = MessagingSeed(database)
            let outra = try #require(try await database.store.unit(slug: "outra"))
            try await database.withUnsafeSQL { sql in
                try await sql.raw("""
                    INSERT INTO webhook_events (id, unit_id, provider, event_type, dedupe_key, body, result, attempts, received_at)
                    VALUES (\(bind: UUID()), \(bind: outra.id), 'evolution', 'inboundMessage', 'k', '{}', 'applied', 1, \(bind: now - 60))
                    """).run()
            }
            let maria = try await seed.contact(unit: f.unitId, phone: "5511998765432", at: now - 600)
            try await seed.message(maria, at: now - 600)
            try await seed.message(maria, at: now - 500)
            try await seed.message(maria, direction: .outbound, state: .delivered, retryCount: 2, at: now - 400)
            try await seed.message(maria, at: now - 2 * 86_400)  // outside 24h
        }
        return f
    }

    @Test("the figures of one unit over the last 24 hours, every key present", arguments: TestDatabaseKind.available)
    func unitJSON(kind: TestDatabaseKind) async throws {
        let f = try await seeded(kind)
        let result = try await f.crm("stats", "--unit", "loja", "--json")
        #expect(result.status == 0, "\(result)")
        let stats = try #require(result.json as? [String: Any])
        #expect(stats["unitSlug"] as? String == "loja")
        #expect(stats["unitId"] as? String == f.unitId.lowercased)
        let webhooks = try #require(stats["webhooks"] as? [String: Any])
        #expect(webhooks["received"] as? Int == 10)
        #expect(webhooks["applied"] as? Int == 4)
        #expect(webhooks["ignored"] as? Int == 1 && webhooks["failed"] as? Int == 1 && webhooks["invalid"] as? Int == 1)
        #expect(webhooks["pending"] as? Int == 1 && webhooks["unknownInstance"] as? Int == 2 && webhooks["duplicate"] as? Int == 0)
        #expect(webhooks["reapplied"] as? Int == 1)
        #expect(webhooks["successRate"] as? Double == 5.0 / 7.0)
        #expect(webhooks["unknownInstanceRate"] as? Double == 0.2)
        #expect(webhooks["dedupeRate"] is NSNull, "the database cannot tell: null, not 0")
        #expect((webhooks["dedupeSource"] as? String)?.contains("crm_webhook_dedupes_total") == true)
        let messages = try #require(stats["messages"] as? [String: Any])
        #expect(messages["inbound"] as? [String: Int] == ["total": 2, "received": 2])
        #expect(messages["outbound"] as? [String: Int] == ["total": 1, "queued": 0, "sent": 0, "delivered": 1, "read": 0, "failed": 0])
        #expect(messages["outboundCalls"] as? Int == 2 && messages["outboundRetries"] as? Int == 1)
        #expect(messages["outboundRetried"] as? Int == 1)
        #expect(messages["outboundRetryRate"] as? Double == 0.5)

        let week = try #require(try await f.crm("stats", "--unit", "loja", "--since", "7d", "--json").json as? [String: Any])
        #expect((week["webhooks"] as? [String: Any])?["received"] as? Int == 11)
        let all = try #require(try await f.crm("stats", "--json").json as? [String: Any])
        #expect(all["unitSlug"] is NSNull && all["unitId"] is NSNull)
        #expect((all["webhooks"] as? [String: Any])?["applied"] as? Int == 5, "outra's body counts for all units")
    }

    @Test("text for people; an empty period has no rates rather than 0%")
    func text() async throws {
        let f = try await seeded(.sqlite)
        let result = try await f.crm("stats", "--unit", "loja", "--since", "2h")
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("Operating figures, unit loja, last 2h (") == true, "\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("Webhooks received") && $0.contains(" 10 ") }, "\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("Success rate") && $0.contains("71.4%") }, "\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("  failed") && $0.contains("crm webhook replay --failed") }, "\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("Dedupe rate") && $0.contains("n/a") && $0.contains("/metrics") }, "\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("Messages out") && $0.contains("delivered 1") }, "\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("Outbound retry rate") && $0.contains("50.0%") && $0.contains("1 of 2 provider calls were retries") },
                "\(result.stdout)")

        let empty = try await f.crm("stats", "--unit", "outra", "--since", "30s", "--json")
        let webhooks = try #require((empty.json as? [String: Any])?["webhooks"] as? [String: Any], "\(empty)")
        #expect(webhooks["received"] as? Int == 0)
        #expect(webhooks["successRate"] is NSNull && webhooks["unknownInstanceRate"] is NSNull)
        let emptyText = try await f.crm("stats", "--unit", "outra", "--since", "30s")
        #expect(emptyText.stdout.split(separator: "\n").contains { $0.hasPrefix("Success rate") && $0.contains("n/a") },
                "\(emptyText.stdout)")
    }

    @Test("a bad duration or an unknown unit; --help says how each figure is computed")
    func errors() async throws {
        let f = try await OperatingFixture.make(.sqlite)
        let help = try await f.crm("stats", "--help")
        #expect(help.status == 0 && help.stdout.contains("Dedupe rate: not in the database"), "\(help)")
        expectCleanError(try await f.crm("stats", "--since", "5x"), status: 65, mentions: "--since")
        expectCleanError(try await f.crm("stats", "--unit", "nope"), status: 66)
    }
}
