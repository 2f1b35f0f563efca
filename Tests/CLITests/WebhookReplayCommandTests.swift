import CRMCore
import CRMTestSupport
import Foundation
import Testing

/// `crm webhook replay`: stored bodies applied again through the listener's own path.
@Suite("crm webhook replay")
struct WebhookReplayCommandTests {
    @Test("failed bodies are applied, oldest first; replaying an applied one stores nothing twice", arguments: TestDatabaseKind.available)
    func replayFailed(kind: TestDatabaseKind) async throws {
        let f = try await OperatingFixture.make(kind)
        let older = try await f.store(try OperatingFixture.inboundBody(from: "5511900000001"), result: .failed,
                                      error: "the database refused the change", receivedAt: Date() - 120)
        let newer = try await f.store(try OperatingFixture.inboundBody(from: "5511900000002"), result: .failed, receivedAt: Date() - 60)
        try await f.store(try OperatingFixture.inboundBody(from: "5511900000003"), result: .ignored)  // not failed: left alone

        let replay = try await f.crm("webhook", "replay", "--failed", "--json")
        #expect(replay.status == 0, "\(replay)")
        let rows = try #require(replay.json as? [[String: Any]])
        #expect(rows.map { $0["eventId"] as? String } == [older.lowercased, newer.lowercased])
        for row in rows {
            #expect(row["previousResult"] as? String == "failed")
            #expect(row["result"] as? String == "applied")
            #expect(row["events"] as? [String] == ["message stored"])
            #expect(row["error"] is NSNull, "every key is present, error null")
            #expect(row["provider"] as? String == "evolution")
        }
        #expect(try await f.count("SELECT count(*) AS n FROM messages") == 2)
        #expect(try await f.count("SELECT count(*) AS n FROM webhook_events WHERE result = 'failed'") == 0)
        #expect(try await f.count("SELECT attempts AS n FROM webhook_events WHERE lower(CAST(id AS TEXT)) = '\(older.lowercased)'") == 2)

        // Again, by id: the message is already there.
        let again = try await f.crm("webhook", "replay", older.lowercased)
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("message already stored"), "\(again.stdout)")
        #expect(again.stdout.contains(older.lowercased) && again.stdout.contains("applied"), "\(again.stdout)")
        #expect(try await f.count("SELECT count(*) AS n FROM messages") == 2)
        #expect(try await f.count("SELECT count(*) AS n FROM contacts") == 2)

        let none = try await f.crm("webhook", "replay", "--failed")
        #expect(none.status == 0 && none.stdout == "No failed webhook events.\n", "\(none)")
        let noneJSON = try await f.crm("webhook", "replay", "--failed", "--json")
        #expect((noneJSON.json as? [Any])?.isEmpty == true, "\(noneJSON)")
    }

    @Test("--limit replays the oldest failed bodies only")
    func limit() async throws {
        let f = try await OperatingFixture.make(.sqlite)
        var ids: [UUID] = []
        for index in 0..<3 {
            ids.append(try await f.store(try OperatingFixture.inboundBody(from: "551190000001\(index)"), result: .failed,
                                         receivedAt: Date() - Double(300 - index)))
        }
        let replay = try await f.crm("webhook", "replay", "--failed", "--limit", "2", "--json")
        #expect(replay.status == 0, "\(replay)")
        #expect((replay.json as? [[String: Any]])?.map { $0["eventId"] as? String } == [ids[0].lowercased, ids[1].lowercased])
        #expect(try await f.count("SELECT count(*) AS n FROM webhook_events WHERE result = 'failed'") == 1)
    }

    @Test("one body that cannot be replayed does not stop the others; the command exits 69")
    func partialFailure() async throws {
        let f = try await OperatingFixture.make(.sqlite)
        // Stored for Z-API, but the unit is on Evolution now.
        let stranger = try await f.store(try OperatingFixture.inboundBody(from: "5511900000009"), result: .failed, provider: .zapi,
                                         receivedAt: Date() - 60)
        let good = try await f.store(try OperatingFixture.inboundBody(from: "5511900000008"), result: .failed)
        let replay = try await f.crm("webhook", "replay", "--failed", "--json")
        #expect(replay.status == 69, "\(replay)")
        let rows = try #require(replay.json as? [[String: Any]], "stdout still holds the JSON document: \(replay.stdout)")
        try #require(rows.map { $0["eventId"] as? String } == [stranger.lowercased, good.lowercased])
        #expect(rows[0]["result"] as? String == "not_replayed")
        #expect((rows[0]["error"] as? String)?.contains("now uses evolution") == true, "\(rows[0])")
        #expect(rows[1]["result"] as? String == "applied")
        #expect(replay.stderr.hasPrefix("Error: 1 of 2 webhook event(s) were not applied"), "\(replay.stderr)")
        #expect(try await f.count("SELECT count(*) AS n FROM messages") == 1)
        #expect(try await f.count("SELECT count(*) AS n FROM webhook_events WHERE result = 'failed'") == 1, "the stranger stays failed")
    }

    @Test("an invalid body, an unknown or malformed id, and wrong usage get their exit codes")
    func errors() async throws {
        let f = try await OperatingFixture.make(.sqlite)
        let help = try await f.base.cli.run(["webhook", "replay", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: crm webhook replay"), "\(help)")
        let invalid = try await f.store(Data("not json".utf8), result: .invalid, error: "not JSON")
        expectCleanError(try await f.crm("webhook", "replay", invalid.lowercased), status: 65, mentions: "cannot be replayed")
        expectCleanError(try await f.crm("webhook", "replay", UUID().uuidString), status: 66, mentions: "no webhook event")
        expectCleanError(try await f.crm("webhook", "replay", "42"), status: 65, mentions: "not a webhook event id")
        for usage in [["webhook", "replay"], ["webhook", "replay", invalid.lowercased, "--failed"], ["webhook", "replay", "--failed", "--limit", "0"],
                      ["webhook", "replay", invalid.lowercased, "--limit", "5"]] {
            let result = try await f.base.cli.run(usage + ["--database", f.base.databaseURL])
            #expect(result.status == 64, "\(usage): \(result)")
            #expect(result.stdout.isEmpty)
        }
        #expect(try await f.count("SELECT count(*) AS n FROM webhook_events WHERE result = 'invalid' AND attempts = 1") == 1,
                "the invalid body is untouched")
    }
}
