import CRMTestSupport
import Foundation
import Testing

@Suite("crm messages list|show (end to end)")
struct MessagesCommandTests {
    static let messageKeys: Set<String> = [
        "id", "unitId", "conversationId", "campaignId", "direction", "type", "body", "template", "status", "provider", "externalId",
        "clientMessageId", "retryCount", "errorCode", "errorMessage", "queuedAt", "sentAt", "deliveredAt", "readAt",
        "failedAt", "receivedAt", "createdAt", "updatedAt", "contact",
    ]
    static let contactKeys: Set<String> = ["id", "unitId", "phone", "lid", "name", "optedOut", "optedOutAt", "createdAt", "updatedAt"]

    @Test("list --json: the unit's messages newest first, every key present, whole phones", arguments: TestDatabaseKind.available)
    func listJSON(kind: TestDatabaseKind) async throws {
        let m = try await MessagingFixture.make(kind)
        let result = try await m.f.crm("messages", "list", "--unit", "loja", "--json")
        #expect(result.status == 0, "\(result)")
        #expect(result.ids == m.newestFirst)
        let messages = try #require(result.json as? [[String: Any]])
        try #require(messages.count == m.newestFirst.count, "\(result)")  // indexed below
        for message in messages {
            #expect(Set(message.keys) == Self.messageKeys)
            #expect(Set((message["contact"] as? [String: Any] ?? [:]).keys) == Self.contactKeys)
        }
        let failed = messages[0]
        #expect(failed["direction"] as? String == "outbound" && failed["status"] as? String == "failed")
        #expect(failed["errorCode"] as? String == "470" && failed["errorMessage"] as? String == "outside the 24-hour window")
        #expect(failed["receivedAt"] is NSNull && failed["campaignId"] is NSNull && failed["retryCount"] as? Int == 0)
        #expect((failed["createdAt"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
        let contact = try #require(failed["contact"] as? [String: Any])
        #expect(contact["phone"] as? String == "5521987654321" && contact["name"] as? String == "João")
        #expect(contact["id"] as? String == m.joao.contact.uuidString.lowercased())
        let image = messages[1]
        #expect(image["type"] as? String == "image" && image["body"] is NSNull && image["status"] as? String == "received")
        let greeting = messages[3]
        #expect(greeting["body"] as? String == "Olá, tudo bem?" && greeting["externalId"] as? String == "3EB0AAA")
        #expect(greeting["provider"] as? String == "evolution")
        #expect(!result.stdout.contains("segredo da outra"))
        // The other unit sees only its own.
        let outra = try await m.f.crm("messages", "list", "--unit", "outra", "--json")
        #expect((outra.json as? [[String: Any]])?.map { $0["body"] as? String } == ["segredo da outra"])
    }

    @Test("filters: contact (any phone format), direction, status, since, limit", arguments: TestDatabaseKind.available)
    func filters(kind: TestDatabaseKind) async throws {
        let m = try await MessagingFixture.make(kind)
        let all = m.newestFirst
        func ids(_ options: String...) async throws -> [String] {
            let result = try await m.f.cli.run(["messages", "list", "--unit", "loja", "--json", "--database", m.f.databaseURL] + options)
            #expect(result.status == 0, "\(result)")
            return result.ids
        }
        #expect(try await ids("--contact", "+55 (11) 99876-5432") == [all[2], all[3]])
        #expect(try await ids("--contact", "5521987654321") == [all[0], all[1]])
        #expect(try await ids("--contact", "+1 555 000 0000").isEmpty)
        #expect(try await ids("--direction", "in") == [all[1], all[3]])
        #expect(try await ids("--direction", "out") == [all[0], all[2]])
        #expect(try await ids("--status", "failed") == [all[0]])
        #expect(try await ids("--status", "delivered") == [all[2]])
        #expect(try await ids("--status", "read").isEmpty)
        #expect(try await ids("--since", "1h") == [all[0], all[1]])
        #expect(try await ids("--since", "150m") == [all[0], all[1], all[2]])
        #expect(try await ids("--since", "90s").isEmpty)
        #expect(try await ids("--since", "2d") == all)
        #expect(try await ids("--limit", "2") == [all[0], all[1]])
        #expect(try await ids("--direction", "out", "--contact", "5521987654321", "--since", "7d") == [all[0]])
    }

    @Test("list as a table: one row per message, contact and status readable, bodies cut to fit", arguments: TestDatabaseKind.available)
    func listTable(kind: TestDatabaseKind) async throws {
        let m = try await MessagingFixture.make(kind)
        let long = String(repeating: "palavra ", count: 30) + "FIM"
        try await m.f.seed { seed in
            try await seed.message(m.maria, body: "linha 1\nlinha 2\u{1B}[31m", at: Date() - 60)
            try await seed.message(m.maria, body: long, at: Date() - 30)
        }
        // Not a terminal and no $COLUMNS: nothing wraps, bodies are cut at 100 columns.
        let result = try await m.f.cli.run(["messages", "list", "--unit", "loja", "--database", m.f.databaseURL], environment: ["COLUMNS": ""])
        try #require(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 7, "\(result.stdout)")  // header and six messages (indexed below)
        #expect(lines[0].hasPrefix("TIME") && lines[0].contains("BODY") && lines[0].hasSuffix("ID"))
        #expect(lines[1].contains("+5511998765432 Maria Silva") && lines[1].contains("palavra palavra") && lines[1].contains("…"))
        #expect(!lines[1].contains("FIM"))
        #expect(lines[2].contains("linha 1 linha 2") && !result.stdout.contains("\u{1B}"))
        #expect(lines[3].contains(" out ") && lines[3].contains("failed") && lines[3].contains("Promoção"))
        #expect(lines[4].contains(" in ") && lines[4].contains("[image]") && lines[4].contains("+5521987654321 João"))
        #expect(lines[6].contains("received") && lines[6].hasSuffix(m.greeting.uuidString.lowercased()))

        // On a terminal COLUMNS wide, the body takes what the other columns leave.
        let narrow = try await m.f.cli.run(["messages", "list", "--unit", "loja", "--database", m.f.databaseURL], environment: ["COLUMNS": "160"])
        let widths = narrow.stdout.split(separator: "\n").map { (line: Substring) in line.count }
        #expect(widths.allSatisfy { $0 <= 160 }, "\(narrow.stdout)")
        let wide = try await m.f.cli.run(["messages", "list", "--unit", "loja", "--database", m.f.databaseURL], environment: ["COLUMNS": "400"])
        #expect(wide.stdout.contains("FIM"))

        let empty = try await m.f.crm("messages", "list", "--unit", "loja", "--status", "read")
        #expect(empty.status == 0 && empty.stdout == "No messages match.\n", "\(empty)")
    }

    @Test("show: one message as JSON and text; unknown id exits 66, a malformed one 65", arguments: TestDatabaseKind.available)
    func show(kind: TestDatabaseKind) async throws {
        let m = try await MessagingFixture.make(kind)
        let id = m.failed.uuidString.lowercased()
        let json = try await m.f.crm("messages", "show", m.failed.uuidString, "--json")  // uppercase accepted
        #expect(json.status == 0, "\(json)")
        let message = try #require(json.json as? [String: Any])
        #expect(Set(message.keys) == Self.messageKeys)
        #expect(message["id"] as? String == id && message["body"] as? String == "Promoção")
        let listed = try await m.f.crm("messages", "list", "--unit", "loja", "--limit", "1", "--json")
        let first = try #require((listed.json as? [[String: Any]])?.first)
        #expect(NSDictionary(dictionary: first).isEqual(to: message), "show and list describe a message alike")

        let text = try await m.f.crm("messages", "show", id)
        #expect(text.status == 0, "\(text)")
        for expected in ["ID:", id, "Unit:", "loja", "outbound", "failed", "+5521987654321 João", "470: outside the 24-hour window", "Queued:", "Promoção"] {
            #expect(text.stdout.contains(expected), "missing \(expected): \(text.stdout)")
        }
        #expect(!text.stdout.contains("Received:"))

        expectCleanError(try await m.f.crm("messages", "show", UUID().uuidString), status: 66, mentions: "No message")
        expectCleanError(try await m.f.crm("messages", "show", "not-an-id"), status: 65, mentions: "not a message id")
        expectCleanError(try await m.f.crm("messages", "show", "12345"), status: 65)
    }

    @Test("bad input: one line, the documented code", arguments: TestDatabaseKind.available)
    func badInput(kind: TestDatabaseKind) async throws {
        let m = try await MessagingFixture.make(kind)
        func list(_ options: String...) async throws -> CLIRunner.Result {
            try await m.f.cli.run(["messages", "list", "--unit", "loja", "--database", m.f.databaseURL] + options)
        }
        expectCleanError(try await list("--since", "5x"), status: 65, mentions: "not a duration")
        expectCleanError(try await list("--since", "0m"), status: 65, mentions: "90s, 30m, 2h")
        expectCleanError(try await list("--since=-2h"), status: 65, mentions: "--since")
        expectCleanError(try await list("--status", "bogus"), status: 65, mentions: "queued, sent, delivered, read, failed or received")
        expectCleanError(try await list("--direction", "sideways"), status: 65, mentions: "in or out")
        expectCleanError(try await list("--contact", "maria"), status: 65, mentions: "--contact")
        expectCleanError(try await list("--contact", "+55 11"), status: 65, mentions: "8 to 15 digits")
        expectCleanError(try await list("--limit", "0"), status: 64, mentions: "between 1 and 1000")
        expectCleanError(try await list("--limit", "1001"), status: 64, mentions: "--limit")
        expectCleanError(try await m.f.crm("messages", "list", "--unit", "nope"), status: 66, mentions: "crm units list")
        expectCleanError(try await m.f.crm("conversations", "list", "--unit", "nope"), status: 66)
        expectCleanError(try await m.f.crm("contacts", "list", "--unit", "nope", "--json"), status: 66)
        expectCleanError(try await m.f.crm("conversations", "list", "--unit", "loja", "--limit", "0"), status: 64)
        expectCleanError(try await m.f.crm("contacts", "list", "--unit", "loja", "--limit", "5000"), status: 64)
        expectCleanError(try await m.f.crm("messages", "tail", "--unit", "nope"), status: 66)
        expectCleanError(try await m.f.crm("messages", "tail", "--unit", "loja", "--contact", "x"), status: 65)
        #expect(try await m.f.crm("messages", "list").status == 64)  // --unit is required
    }
}
