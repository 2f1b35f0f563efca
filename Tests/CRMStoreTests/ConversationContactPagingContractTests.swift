import CRMCore
import CRMTestSupport
import Foundation
import Testing

@testable import CRMStore

/// Cursor pages of conversations and contacts on both databases: every row once, in the list
/// order, when the sort keys tie and when the cursor's dates went through a driver (sub-microsecond
/// parts that a driver rounds or truncates).
@Suite("Conversation and contact paging contract")
struct ConversationContactPagingContractTests {
    /// A time with a sub-microsecond part, as `Date()` gives.
    let t0 = Date(timeIntervalSince1970: 1_790_000_000.123_456_789)

    @Test("conversations: pages of one, through ties, conversations without messages and another unit's", arguments: TestDatabaseKind.stores)
    func conversations(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let seed = MessagingSeed(database)
            let unit = try await seed.unit("loja")
            let other = try await seed.unit("outra")
            var rows: [(id: UUID, last: Date?, updated: Date)] = []
            for index in 0..<8 {
                let contact = try await seed.contact(unit: unit, phone: "55319000000\(index)", at: t0)
                // 0–2 tie on both keys, 3–4 tie on the last message only, 5 alone, 6–7 have no message (tied).
                let last: Date? = switch index {
                case 0, 1, 2: t0 + 30
                case 3, 4: t0 + 20
                case 5: t0 + 10
                default: nil
                }
                let updated = index == 3 ? t0 + 25 : (last ?? t0 + 5)
                try await seed.conversationActivity(contact, lastMessageAt: last, preview: "p", updatedAt: updated)
                rows.append((contact.conversation, last, updated))
            }
            let stranger = try await seed.contact(unit: other, phone: "5531900000099", at: t0)
            try await seed.conversationActivity(stranger, lastMessageAt: t0 + 15, preview: "x", updatedAt: t0 + 15)
            let expected = rows.sorted { a, b in
                let keyA = (a.last?.timeIntervalSince1970 ?? -1, a.updated.timeIntervalSince1970, a.id.uuidString.lowercased())
                let keyB = (b.last?.timeIntervalSince1970 ?? -1, b.updated.timeIntervalSince1970, b.id.uuidString.lowercased())
                return keyA > keyB
            }.map(\.id)

            var seen: [UUID] = []
            var cursor: ConversationCursor?
            for _ in 0..<12 {
                let page = try await database.store.conversations(ConversationFilter(unitId: unit, after: cursor, limit: 1))
                guard let last = page.last else { break }
                seen.append(last.conversation.id)
                cursor = ConversationCursor(last.conversation)  // dates as the driver returned them
            }
            #expect(seen == expected)
            let pairs = try await database.store.conversations(ConversationFilter(unitId: unit, after: cursor, limit: 5))
            #expect(pairs.isEmpty, "nothing after the last row")
            #expect(try await database.store.conversations(ConversationFilter(unitId: unit, since: t0 + 20, limit: 10)).count == 5)
            #expect(try await database.store.conversations(ConversationFilter(unitId: unit, contactPhone: "553190000004", limit: 10))
                .map(\.conversation.id) == [rows[4].id])
        }
    }

    @Test("contacts: pages of two through ties; opted-out and phone filters", arguments: TestDatabaseKind.stores)
    func contacts(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let seed = MessagingSeed(database)
            let unit = try await seed.unit("loja")
            var rows: [(id: UUID, updated: Date)] = []
            for index in 0..<7 {
                let updated = t0 + Double(index / 3) * 10  // ties: 0–2, 3–5; 6 alone
                let contact = try await seed.contact(unit: unit, phone: "55319100000\(index)", optedOut: index == 6, at: updated)
                rows.append((contact.contact, updated))
            }
            let expected = rows.sorted {
                ($0.updated.timeIntervalSince1970, $0.id.uuidString.lowercased()) > ($1.updated.timeIntervalSince1970, $1.id.uuidString.lowercased())
            }.map(\.id)
            var seen: [UUID] = []
            var cursor: ContactCursor?
            for _ in 0..<10 {
                let page = try await database.store.contacts(ContactFilter(unitId: unit, after: cursor, limit: 2))
                guard let last = page.last else { break }
                seen += page.map(\.id)
                cursor = ContactCursor(last)
            }
            #expect(seen == expected)
            #expect(try await database.store.contacts(ContactFilter(unitId: unit, optedOut: true, limit: 10)).map(\.id) == [rows[6].id])
            #expect(try await database.store.contacts(ContactFilter(unitId: unit, optedOut: false, limit: 10)).count == 6)
            #expect(try await database.store.contacts(ContactFilter(unitId: unit, phone: "553191000002", limit: 10)).map(\.id) == [rows[2].id])
            #expect(try await database.store.contacts(ContactFilter(unitId: unit, since: t0 + 10, limit: 10)).count == 4)
        }
    }
}
