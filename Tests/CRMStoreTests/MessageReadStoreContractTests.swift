import CRMCore
import CRMTestSupport
import Foundation
import Testing

@testable import CRMStore

/// The read side of messaging on both databases, over rows written with plain SQL.
@Suite("Message read store contract")
struct MessageReadStoreContractTests {
    /// A time with a sub-microsecond part, as `Date()` gives: what a driver may not return bit for bit.
    let t0 = Date(timeIntervalSince1970: 1_790_000_000.123_456_789)

    /// Two units; unit A has Maria and João, unit B has a contact with Maria's very number.
    struct World {
        let seed: MessagingSeed
        let unitA: UUID
        let unitB: UUID
        let maria: SeededContact
        let joao: SeededContact
        let other: SeededContact
    }

    func world(_ database: CRMDatabase) async throws -> World {
        let seed = MessagingSeed(database)
        let unitA = try await seed.unit("loja-a")
        let unitB = try await seed.unit("loja-b")
        return World(
            seed: seed, unitA: unitA, unitB: unitB,
            maria: try await seed.contact(unit: unitA, phone: "5511998765432", name: "Maria Silva", at: t0),
            joao: try await seed.contact(unit: unitA, phone: "5521987654321", name: "João", at: t0),
            other: try await seed.contact(unit: unitB, phone: "5511998765432", name: "Maria (B)", at: t0)
        )
    }

    /// Every stored id in the order the store must return them: newest first, ties by id descending.
    func newestFirst(_ rows: [(id: UUID, at: Date)]) -> [UUID] {
        rows.sorted { ($0.at, $0.id.uuidString) > ($1.at, $1.id.uuidString) }.map(\.id)
    }

    @Test("each filter narrows the unit's messages; another unit's never appear", arguments: TestDatabaseKind.stores)
    func filters(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let w = try await world(database)
            let m1 = try await w.seed.message(w.maria, body: "olá", at: t0)
            let m2 = try await w.seed.message(w.maria, direction: .outbound, state: .delivered, body: "oi Maria", at: t0 + 60)
            let j1 = try await w.seed.message(w.joao, at: t0 + 120)
            let j2 = try await w.seed.message(w.joao, direction: .outbound, state: .failed, at: t0 + 180)
            let b1 = try await w.seed.message(w.other, at: t0 + 90)

            func ids(_ filter: MessageFilter) async throws -> [UUID] { try await store.messages(filter).map(\.message.id) }
            #expect(try await ids(MessageFilter(unitId: w.unitA)) == [j2, j1, m2, m1])
            #expect(try await ids(MessageFilter(unitId: w.unitB)) == [b1])
            #expect(try await ids(MessageFilter(unitId: w.unitA, contactPhone: "5511998765432")) == [m2, m1])
            #expect(try await ids(MessageFilter(unitId: w.unitB, contactPhone: "5511998765432")) == [b1])
            #expect(try await ids(MessageFilter(unitId: w.unitA, contactPhone: "5500000000000")).isEmpty)
            #expect(try await ids(MessageFilter(unitId: w.unitA, direction: .inbound)) == [j1, m1])
            #expect(try await ids(MessageFilter(unitId: w.unitA, direction: .outbound)) == [j2, m2])
            #expect(try await ids(MessageFilter(unitId: w.unitA, state: .failed)) == [j2])
            #expect(try await ids(MessageFilter(unitId: w.unitA, state: .read)).isEmpty)
            #expect(try await ids(MessageFilter(unitId: w.unitA, since: t0 + 60)) == [j2, j1, m2])  // inclusive
            #expect(try await ids(MessageFilter(unitId: w.unitA, since: t0 + 61)) == [j2, j1])
            #expect(try await ids(MessageFilter(unitId: w.unitA, direction: .inbound, since: t0 + 1)) == [j1])
            #expect(try await ids(MessageFilter(unitId: w.unitA, limit: 3)) == [j2, j1, m2])
            #expect(try await ids(MessageFilter(unitId: w.unitA, order: .oldestFirst, limit: 3)) == [m1, m2, j1])
            #expect(try await ids(MessageFilter(unitId: UUID())).isEmpty)
        }
    }

    @Test("a record carries the message's fields and its contact", arguments: TestDatabaseKind.stores)
    func recordFields(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let w = try await world(database)
            let id = try await w.seed.message(
                w.joao, direction: .outbound, state: .failed, kind: .image, body: "foto 📷", provider: "zapi",
                externalId: "3EB0ABC", errorCode: "470", errorMessage: "outside the 24-hour window", at: t0)
            let record = try #require(try await database.store.message(id: id))
            let message = record.message
            #expect(message.unitId == w.unitA && message.contactId == w.joao.contact)
            #expect(message.conversationId == w.joao.conversation && message.campaignId == nil)
            #expect(message.direction == .outbound && message.state == .failed && message.kind == .image)
            #expect(message.body == "foto 📷" && message.provider == .zapi && message.externalId == "3EB0ABC")
            #expect(message.errorCode == "470" && message.errorMessage == "outside the 24-hour window")
            #expect(message.retryCount == 0 && message.receivedAt == nil)
            #expect(abs(message.createdAt.timeIntervalSince(t0)) < 0.000_01)
            #expect(message.queuedAt.map { abs($0.timeIntervalSince(t0)) < 0.000_01 } == true)
            #expect(record.contact.id == w.joao.contact && record.contact.phone == "5521987654321")
            #expect(record.contact.name == "João" && record.contact.unitId == w.unitA && !record.contact.optedOut)

            let inbound = try await w.seed.message(w.maria, kind: .buttonReply, body: nil, provider: nil, at: t0)
            let second = try #require(try await database.store.message(id: inbound)).message
            #expect(second.kind == .buttonReply && second.body == nil && second.provider == nil && second.state == .received)
            #expect(try await database.store.message(id: UUID()) == nil)
        }
    }

    @Test("paging back with the cursor visits every message once, ties included", arguments: TestDatabaseKind.stores)
    func pagingBack(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let w = try await world(database)
            // 23 messages on 5 instants: most pages end in the middle of a tie.
            var rows: [(id: UUID, at: Date)] = []
            for index in 0..<23 {
                let at = t0 + Double(index % 5) * 0.25
                rows.append((try await w.seed.message(index.isMultiple(of: 2) ? w.maria : w.joao, at: at), at))
            }
            _ = try await w.seed.message(w.other, at: t0)  // another unit, same instants
            let expected = newestFirst(rows)
            for pageSize in [1, 4, 5, 22, 50] {
                var seen: [UUID] = []
                var cursor: MessageCursor?
                for _ in 0...expected.count {  // bounded: a cursor that repeats its own row would loop forever
                    let page = try await database.store.messages(MessageFilter(unitId: w.unitA, before: cursor, limit: pageSize))
                    seen += page.map(\.message.id)
                    guard page.count == pageSize, let last = page.last else { break }
                    cursor = MessageCursor(last.message)
                }
                #expect(seen == expected, "page size \(pageSize)")
            }
        }
    }

    @Test("following with the after cursor returns newer messages oldest first, none twice", arguments: TestDatabaseKind.stores)
    func followingForward(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let w = try await world(database)
            var rows: [(id: UUID, at: Date)] = []
            for index in 0..<12 { rows.append((try await w.seed.message(w.maria, at: t0 + Double(index / 3)), t0 + Double(index / 3))) }
            let expected = Array(newestFirst(rows).reversed())
            let start = try #require(try await store.messages(MessageFilter(unitId: w.unitA, order: .oldestFirst, limit: 1)).first)
            #expect(start.message.id == expected[0])
            var seen = [start.message.id]
            var cursor = MessageCursor(start.message)
            for _ in 0...expected.count {  // bounded, as above
                let page = try await store.messages(MessageFilter(unitId: w.unitA, after: cursor, order: .oldestFirst, limit: 2))
                seen += page.map(\.message.id)
                guard let last = page.last else { break }
                cursor = MessageCursor(last.message)
            }
            #expect(seen == expected)
            // A message arriving later at an instant already seen, but with a higher id, is still found.
            let late = try await w.seed.message(w.joao, id: UUID(uuidString: "FFFFFFFF-0000-4000-8000-000000000000")!, at: t0 + 3)
            let next = try await store.messages(MessageFilter(unitId: w.unitA, after: cursor, order: .oldestFirst, limit: 10))
            #expect(next.map(\.message.id) == [late])
        }
    }

    @Test("a cursor whose date is a microsecond off still pages exactly (the stored time wins)", arguments: TestDatabaseKind.stores)
    func cursorDrift(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let w = try await world(database)
            let ids = [
                try await w.seed.message(w.maria, id: UUID(uuidString: "10000000-0000-4000-8000-000000000000")!, at: t0),
                try await w.seed.message(w.maria, id: UUID(uuidString: "20000000-0000-4000-8000-000000000000")!, at: t0),
                try await w.seed.message(w.maria, id: UUID(uuidString: "30000000-0000-4000-8000-000000000000")!, at: t0),
            ]
            for drift in [-0.000_001, 0.000_001] {
                let cursor = MessageCursor(createdAt: t0 + drift, id: ids[1])
                let before = try await database.store.messages(MessageFilter(unitId: w.unitA, before: cursor))
                #expect(before.map(\.message.id) == [ids[0]], "drift \(drift)")
                let after = try await database.store.messages(MessageFilter(unitId: w.unitA, after: cursor, order: .oldestFirst))
                #expect(after.map(\.message.id) == [ids[2]], "drift \(drift)")
            }
        }
    }

    @Test("conversations: latest activity first, silent ones last, one unit only", arguments: TestDatabaseKind.stores)
    func conversations(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let w = try await world(database)
            let ana = try await w.seed.contact(unit: w.unitA, phone: "5531900000001", name: "Ana", at: t0)
            let bia = try await w.seed.contact(unit: w.unitA, phone: nil, lid: "123456789", at: t0)
            try await w.seed.conversationActivity(w.maria, lastMessageAt: t0 + 10, preview: "olá", updatedAt: t0 + 10)
            try await w.seed.conversationActivity(w.joao, lastMessageAt: t0 + 20, preview: "tudo bem?", updatedAt: t0 + 20)
            try await w.seed.conversationActivity(ana, lastMessageAt: nil, preview: nil, updatedAt: t0 + 30)
            try await w.seed.conversationActivity(bia, lastMessageAt: nil, preview: nil, updatedAt: t0 + 40)
            try await w.seed.conversationActivity(w.other, lastMessageAt: t0 + 50, preview: "B", updatedAt: t0 + 50)

            let records = try await database.store.conversations(unitId: w.unitA, limit: 10)
            #expect(records.map(\.conversation.id) == [w.joao, w.maria, bia, ana].map(\.conversation))
            #expect(records.allSatisfy { $0.conversation.contactId == $0.contact.id && $0.contact.unitId == w.unitA })
            #expect(records[0].conversation.lastMessagePreview == "tudo bem?" && records[0].contact.name == "João")
            #expect(records[0].conversation.lastMessageAt.map { abs($0.timeIntervalSince(t0 + 20)) < 0.000_01 } == true)
            #expect(records[2].contact.phone == nil && records[2].contact.lid == "123456789")
            #expect(try await database.store.conversations(unitId: w.unitA, limit: 2).map(\.conversation.id)
                == [w.joao.conversation, w.maria.conversation])
            #expect(try await database.store.conversations(unitId: w.unitB, limit: 10).map(\.conversation.id) == [w.other.conversation])
        }
    }

    @Test("contacts: most recently updated first, one unit only", arguments: TestDatabaseKind.stores)
    func contacts(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let w = try await world(database)
            let ana = try await w.seed.contact(unit: w.unitA, phone: "5531900000001", name: "Ana", optedOut: true, at: t0)
            try await w.seed.touchContact(w.maria, at: t0 + 30)
            try await w.seed.touchContact(ana, at: t0 + 20)
            try await w.seed.touchContact(w.joao, at: t0 + 10)
            try await w.seed.touchContact(w.other, at: t0 + 40)

            let contacts = try await database.store.contacts(unitId: w.unitA, limit: 10)
            #expect(contacts.map(\.id) == [w.maria.contact, ana.contact, w.joao.contact])
            #expect(contacts[1].optedOut && contacts[1].name == "Ana" && contacts[1].phone == "5531900000001")
            #expect(try await database.store.contacts(unitId: w.unitA, limit: 1).map(\.id) == [w.maria.contact])
            #expect(try await database.store.contacts(unitId: w.unitB, limit: 10).map(\.id) == [w.other.contact])
            #expect(try await database.store.contacts(unitId: UUID(), limit: 10).isEmpty)
        }
    }
}
