import CRMTestSupport
import Foundation
import Testing

@Suite("crm conversations list, crm contacts list (end to end)")
struct ConversationsContactsCommandTests {
    @Test("conversations: latest activity first, contact inside, one unit only", arguments: TestDatabaseKind.available)
    func conversations(kind: TestDatabaseKind) async throws {
        let m = try await MessagingFixture.make(kind)
        let json = try await m.f.crm("conversations", "list", "--unit", "loja", "--json")
        #expect(json.status == 0, "\(json)")
        let conversations = try #require(json.json as? [[String: Any]])
        try #require(conversations.count == 2, "\(json)")  // indexed below
        #expect(json.ids == [m.joao, m.maria].map { $0.conversation.uuidString.lowercased() })
        #expect(Set(conversations[0].keys) == [
            "id", "unitId", "lastMessageAt", "lastMessagePreview", "lastInboundAt", "createdAt", "updatedAt", "contact",
        ])
        #expect(conversations[0]["lastMessagePreview"] as? String == "Promoção" && conversations[0]["lastInboundAt"] is NSNull)
        #expect((conversations[1]["contact"] as? [String: Any])?["phone"] as? String == "5511998765432")
        let limited = try await m.f.crm("conversations", "list", "--unit", "loja", "--limit", "1", "--json")
        #expect(limited.ids == [m.joao.conversation.uuidString.lowercased()])

        let table = try await m.f.crm("conversations", "list", "--unit", "loja")
        let lines = table.stdout.split(separator: "\n")
        try #require(lines.count == 3, "\(table)")
        #expect(lines[0].hasPrefix("LAST MESSAGE"), "\(table)")
        #expect(lines[1].contains("+5521987654321 João") && lines[1].contains("Promoção"))
        #expect(!table.stdout.contains("Outra Maria"))
        let outra = try await m.f.crm("conversations", "list", "--unit", "outra")
        #expect(outra.stdout.contains("Outra Maria") && !outra.stdout.contains("João"))
    }

    @Test("contacts: most recently updated first, whole phones, one unit only", arguments: TestDatabaseKind.available)
    func contacts(kind: TestDatabaseKind) async throws {
        let m = try await MessagingFixture.make(kind)
        let json = try await m.f.crm("contacts", "list", "--unit", "loja", "--json")
        #expect(json.status == 0, "\(json)")
        #expect(json.ids == [m.joao, m.maria].map { $0.contact.uuidString.lowercased() })
        let contacts = try #require(json.json as? [[String: Any]])
        try #require(contacts.map { $0["phone"] as? String } == ["5521987654321", "5511998765432"], "\(json)")
        #expect(contacts[0]["optedOut"] as? Bool == false && contacts[0]["lid"] is NSNull)

        let table = try await m.f.crm("contacts", "list", "--unit", "loja")
        let lines = table.stdout.split(separator: "\n")
        try #require(lines.count == 3, "\(table)")
        #expect(lines[0].hasPrefix("PHONE"), "\(table)")
        #expect(lines[1].hasPrefix("+5521987654321") && lines[1].contains("João"))
        #expect(!table.stdout.contains("Outra Maria"))
        #expect(try await m.f.crm("contacts", "list", "--unit", "outra", "--json").ids == [m.stranger.contact.uuidString.lowercased()])

        let f = try await CLIFixture.make(kind)
        #expect(try await f.crm("units", "create", "Vazia").status == 0)
        let empty = try await f.crm("contacts", "list", "--unit", "vazia")
        #expect(empty.status == 0 && empty.stdout == "No contacts yet in vazia.\n", "\(empty)")
        #expect((try await f.crm("conversations", "list", "--unit", "vazia", "--json").json as? [Any])?.isEmpty == true)
    }
}
