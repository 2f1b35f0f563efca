import CRMTestSupport
import Foundation
import Testing

/// `crm units update --opt-out-keywords` and `crm contacts opt-out|opt-in`, through the built binary.
@Suite("crm contacts opt-out|opt-in and opt-out keywords (end to end)")
struct OptOutCommandTests {
    @Test("keywords: the defaults, the unit's own, back to the defaults; shown by units show", arguments: TestDatabaseKind.available)
    func keywords(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind)
        try #require(try await f.crm("units", "create", "Loja").status == 0)
        let shown = try #require(try await f.crm("units", "show", "loja", "--json").json as? [String: Any])
        #expect(shown["optOutKeywords"] as? [String] == ["STOP", "PARAR", "SAIR", "CANCELAR"])
        #expect(shown["defaultOptOutKeywords"] as? Bool == true)

        let updated = try await f.crm("units", "update", "loja", "--opt-out-keywords", "STOP, Parar ,DESCADASTRAR", "--json")
        #expect(updated.status == 0, "\(updated)")
        let unit = try #require(updated.json as? [String: Any])
        #expect(unit["optOutKeywords"] as? [String] == ["STOP", "Parar", "DESCADASTRAR"])
        #expect(unit["defaultOptOutKeywords"] as? Bool == false && unit["name"] as? String == "Loja")
        let table = try await f.crm("units", "show", "loja")
        #expect(table.stdout.contains("Opt-out keywords: STOP, Parar, DESCADASTRAR\n"), "\(table)")

        let human = try await f.crm("units", "update", "loja", "--default-opt-out-keywords", "--name", "Loja Centro")
        #expect(human.status == 0 && human.stdout ==
            "Updated unit loja: name 'Loja Centro', opt-out keywords STOP, PARAR, SAIR, CANCELAR (the defaults).\n", "\(human)")
        #expect((try await f.crm("units", "show", "loja", "--json").json as? [String: Any])?["defaultOptOutKeywords"] as? Bool == true)
        #expect(try await f.crm("units", "rename", "loja", "Loja").status == 0, "rename still works")
    }

    @Test("keywords: bad lists and unknown units change nothing", arguments: TestDatabaseKind.available)
    func badKeywords(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind)
        try #require(try await f.crm("units", "create", "Loja").status == 0)
        try #require(try await f.crm("units", "update", "loja", "--opt-out-keywords", "BASTA").status == 0)
        let before = try await f.snapshot()
        expectCleanError(try await f.crm("units", "update", "loja", "--opt-out-keywords", ""), status: 65, mentions: "at least one")
        expectCleanError(try await f.crm("units", "update", "loja", "--opt-out-keywords", "STOP,,SAIR"), status: 65, mentions: "empty")
        expectCleanError(try await f.crm("units", "update", "loja", "--opt-out-keywords", "Sair,SAÍR"), status: 65, mentions: "same word")
        expectCleanError(
            try await f.crm("units", "update", "loja", "--opt-out-keywords", String(repeating: "x", count: 31)), status: 65, mentions: "30")
        expectCleanError(
            try await f.crm("units", "update", "loja", "--opt-out-keywords", "STOP", "--timezone", "Mars/Olympus"),
            status: 65, mentions: "time zone")
        expectCleanError(try await f.crm("units", "update", "nope", "--opt-out-keywords", "STOP"), status: 66, mentions: "crm units list")
        #expect(try await f.snapshot() == before)
        let both = try await f.crm("units", "update", "loja", "--opt-out-keywords", "STOP", "--default-opt-out-keywords")
        #expect(both.status == 64 && both.stderr.contains("not both"), "\(both)")
        let nothing = try await f.crm("units", "update", "loja")
        #expect(nothing.status == 64 && nothing.stderr.contains("Nothing to change"), "\(nothing)")
        #expect(try await f.snapshot() == before)
    }

    @Test("opt-out creates an unknown number's contact, twice changes nothing, opt-in lets it in again", arguments: TestDatabaseKind.available)
    func optOutAndIn(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind)
        try #require(try await f.crm("units", "create", "Loja").status == 0)
        let out = try await f.crm("contacts", "opt-out", "(11) 99876-5432", "--unit", "loja", "--json")
        #expect(out.status == 0, "\(out)")
        let first = try #require(out.json as? [String: Any])
        #expect(first["changed"] as? Bool == true && first["created"] as? Bool == true)
        let contact = try #require(first["contact"] as? [String: Any])
        #expect(contact["phone"] as? String == "5511998765432" && contact["optedOut"] as? Bool == true)
        let optedOutAt = try #require(contact["optedOutAt"] as? String)

        let again = try await f.crm("contacts", "opt-out", "+55 11 99876-5432", "--unit", "loja")
        #expect(again.status == 0 && again.stdout.hasPrefix("+55 11 9****-5432 was already opted out of unit loja since "), "\(again)")
        let listed = try #require(try await f.crm("contacts", "list", "--unit", "loja", "--json").json as? [[String: Any]])
        #expect(listed.count == 1 && listed[0]["optedOut"] as? Bool == true && listed[0]["optedOutAt"] as? String == optedOutAt)

        let optIn = try await f.crm("contacts", "opt-in", "5511998765432", "--unit", "loja")
        #expect(optIn.status == 0 && optIn.stdout == "Opted +55 11 9****-5432 back in to unit loja: it can receive messages again.\n",
                "\(optIn)")
        let optInAgain = try await f.crm("contacts", "opt-in", "011 99876-5432", "--unit", "loja", "--json")
        let state = try #require(optInAgain.json as? [String: Any])
        #expect(state["changed"] as? Bool == false && (state["contact"] as? [String: Any])?["optedOutAt"] is NSNull)

        let human = try await f.crm("contacts", "opt-out", "11 91234-5678", "--unit", "loja")
        #expect(human.stdout == "Opted +55 11 9****-5678 (a new contact) out of unit loja: crm send refuses it unless --force, "
            + "campaigns skip it.\n", "\(human)")
        for result in [again, optIn, human] { #expect(!result.stdout.contains("998765432") && !result.stdout.contains("912345678")) }
    }

    @Test("bad input: clear one-line error, the documented exit code, nothing changed", arguments: TestDatabaseKind.available)
    func badInput(kind: TestDatabaseKind) async throws {
        let f = try await CLIFixture.make(kind)
        try #require(try await f.crm("units", "create", "Loja").status == 0)
        func contacts() async throws -> Int { (try await f.crm("contacts", "list", "--unit", "loja", "--json").json as? [Any])?.count ?? -1 }
        expectCleanError(try await f.crm("contacts", "opt-out", "5511998765432", "--unit", "nope"), status: 66, mentions: "crm units list")
        expectCleanError(try await f.crm("contacts", "opt-in", "5511998765432", "--unit", "nope"), status: 66)
        expectCleanError(try await f.crm("contacts", "opt-out", "maria", "--unit", "loja"), status: 65, mentions: "phone number")
        expectCleanError(try await f.crm("contacts", "opt-out", "123", "--unit", "loja"), status: 65, mentions: "phone number")
        let unknown = try await f.crm("contacts", "opt-in", "+55 11 99876-5432", "--unit", "loja")
        expectCleanError(unknown, status: 66, mentions: "never opted out")
        #expect(unknown.stderr.contains("+55 11 9****-5432") && !unknown.stderr.contains("998765432"), "\(unknown.stderr)")
        #expect(try await contacts() == 0)
        #expect(try await f.crm("contacts", "opt-out", "--unit", "loja").status == 64)
        #expect(try await f.crm("contacts", "opt-out", "5511998765432").status == 64)
    }
}
