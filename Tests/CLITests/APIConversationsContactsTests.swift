import CRMCore
import CRMTestSupport
import Foundation
import NIOHTTP1
import Testing

/// `GET /conversations` and `GET /contacts` over loopback, on each database: the CLI's read
/// paths with filters and cursor pages, scoped to the caller's unit.
@Suite("HTTP API: conversations and contacts")
struct APIConversationsContactsTests {
    @Test("GET /conversations: most recent activity first, conversations without messages last, cursor pages without gaps or repeats; filters",
          arguments: TestDatabaseKind.available)
    func conversations(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind) { f in
            let now = Date()
            let loja = try #require(f.units["loja"].flatMap(UUID.init(uuidString:)))
            let outra = try #require(f.units["outra"].flatMap(UUID.init(uuidString:)))
            // Seven conversations: five with activity (two at the same instant), two without (the same updated_at).
            let rows = try await f.base.seed { seed -> [(SeededContact, Date?)] in
                var rows: [(SeededContact, Date?)] = []
                for index in 0..<7 {
                    let contact = try await seed.contact(unit: loja, phone: "55119000000\(index)", name: "C\(index)", at: now - 7200)
                    let activity: Date? = switch index {
                    case 0, 1: now - 600  // a tie
                    case 2, 3, 4: now - Double(index) * 900
                    default: nil
                    }
                    try await seed.conversationActivity(
                        contact, lastMessageAt: activity, preview: activity == nil ? nil : "p\(index)", updatedAt: activity ?? now - 3600)
                    rows.append((contact, activity))
                }
                _ = try await seed.contact(unit: outra, phone: "5511900000099", name: "Outra", at: now)
                // The list order by hand: activity descending (nulls last), then updated_at, then id, both descending.
                return rows.sorted { a, b in
                    switch (a.1, b.1) {
                    case let (x?, y?) where x != y: return x > y
                    case (.some, nil): return true
                    case (nil, .some): return false
                    default: return a.0.conversation.uuidString.lowercased() > b.0.conversation.uuidString.lowercased()
                    }
                }
            }
            let expected = rows.map { $0.0.conversation.uuidString.lowercased() }
            let token = try await f.token("agent@loja.example")
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await f.request(.GET, "/conversations?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
                #expect(page.status == 200, "\(page)")
                let items = page.json["conversations"] as? [[String: Any]] ?? []
                #expect(items.count <= 2 && items.allSatisfy { $0["unitId"] as? String == f.units["loja"] })
                seen += items.compactMap { $0["id"] as? String }
                cursor = page.json["nextCursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == expected, "every conversation once, in the list order")
            #expect(pages == 4)

            let one = try await f.request(.GET, "/conversations?contact=%2B55%2011%209000-0003", token: token)
            let items = one.json["conversations"] as? [[String: Any]] ?? []
            #expect(items.count == 1 && (items.first?["contact"] as? [String: Any])?["phone"] as? String == "551190000003", "\(one)")
            #expect(items.first?["lastMessagePreview"] as? String == "p3")
            let since = ISO8601DateFormatter().string(from: now - 2000)
            let recent = try await f.request(.GET, "/conversations?since=\(since)", token: token)
            #expect((recent.json["conversations"] as? [Any])?.count == 3, "\(recent)")

            // A conversation that gets a message while pages are read moves to the top and is not repeated.
            let first = try await f.request(.GET, "/conversations?limit=3", token: token)
            let next = try #require(first.json["nextCursor"] as? String)
            try await f.base.seed { seed in
                try await seed.conversationActivity(rows[4].0, lastMessageAt: now, preview: "new", updatedAt: now)
            }
            let rest = try await f.request(.GET, "/conversations?limit=10&cursor=\(next)", token: token)
            #expect((rest.json["conversations"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [expected[3]] + expected[5...])

            for bad in ["limit=0", "limit=201", "cursor=garbage", "since=yesterday", "contact=12"] {
                let reply = try await f.request(.GET, "/conversations?\(bad)", token: token)
                #expect(reply.status == 400 && reply.code == "invalid_request", "\(bad): \(reply)")
            }
        }
    }

    @Test("GET /contacts: most recently updated first, cursor pages, phone and optedOut filters", arguments: TestDatabaseKind.available)
    func contacts(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind) { f in
            let now = Date()
            let loja = try #require(f.units["loja"].flatMap(UUID.init(uuidString:)))
            let expected = try await f.base.seed { seed -> [String] in
                var rows: [(UUID, Date)] = []
                for index in 0..<5 {
                    let updated = index < 2 ? now - 60 : now - Double(index) * 120  // two at the same instant
                    let contact = try await seed.contact(
                        unit: loja, phone: "55219000000\(index)", name: "K\(index)", optedOut: index == 4, at: updated)
                    rows.append((contact.contact, updated))
                }
                return rows.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.uuidString.lowercased() > $1.0.uuidString.lowercased() }
                    .map { $0.0.uuidString.lowercased() }
            }
            let token = try await f.token("admin@loja.example")
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await f.request(.GET, "/contacts?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
                #expect(page.status == 200, "\(page)")
                seen += (page.json["contacts"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page.json["nextCursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == expected)

            let optedOut = try await f.request(.GET, "/contacts?optedOut=true", token: token)
            let out = optedOut.json["contacts"] as? [[String: Any]] ?? []
            #expect(out.count == 1 && out.first?["phone"] as? String == "552190000004" && out.first?["optedOut"] as? Bool == true)
            #expect((try await f.request(.GET, "/contacts?optedOut=false", token: token).json["contacts"] as? [Any])?.count == 4)
            let byPhone = try await f.request(.GET, "/contacts?phone=%2B552190000001", token: token)
            #expect((byPhone.json["contacts"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["K1"], "\(byPhone)")
            for bad in ["optedOut=maybe", "cursor=\(UUID().uuidString)", "limit=x", "phone=abc"] {
                let reply = try await f.request(.GET, "/contacts?\(bad)", token: token)
                #expect(reply.status == 400 && reply.code == "invalid_request", "\(bad): \(reply)")
            }
        }
    }
}
