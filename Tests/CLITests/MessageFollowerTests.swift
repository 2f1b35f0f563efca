import CRMCore
import CRMStore
import CRMTestSupport
import Foundation
import Testing

@testable import crm

/// What `crm messages tail` prints at each poll, against a real store (no process, no sleeping).
@Suite("Following new messages")
struct MessageFollowerTests {
    let t0 = Date().addingTimeInterval(-3_600)

    @Test("backlog oldest first, then only what is new: ties behind the cursor and late rows included, nothing twice",
          arguments: TestDatabaseKind.available)
    func follows(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let seed = MessagingSeed(database)
            let unit = try await seed.unit("loja")
            let maria = try await seed.contact(unit: unit, phone: "5511998765432", at: t0)
            var history: [UUID] = []
            for index in 0..<12 { history.append(try await seed.message(maria, at: t0 + Double(index))) }
            var follower = MessageFollower(
                store: database.store, filter: MessageFilter(unitId: unit, limit: 10), pageSize: 3)
            #expect(try await follower.start().map(\.message.id) == Array(history.suffix(10)))
            // The reread window covers the backlog and the two older rows: none is news.
            #expect(try await follower.poll().isEmpty)

            // Same instant as each other: the first poll may see the higher id before the lower one exists.
            let high = try await seed.message(maria, id: UUID(uuidString: "EEEEEEEE-0000-4000-8000-000000000000")!, at: t0 + 20)
            #expect(try await follower.poll().map(\.message.id) == [high])
            let low = try await seed.message(maria, id: UUID(uuidString: "11111111-0000-4000-8000-000000000000")!, at: t0 + 20)
            #expect(try await follower.poll().map(\.message.id) == [low])

            // Committed late, stamped before the newest printed: still news.
            let late = try await seed.message(maria, at: t0 + 15)
            // A burst larger than a page, and another unit's message.
            let other = try await seed.contact(unit: try await seed.unit("outra"), phone: "5511998765432", at: t0)
            try await seed.message(other, at: t0 + 21)
            var burst: [UUID] = []
            for index in 0..<7 { burst.append(try await seed.message(maria, at: t0 + 21 + Double(index) * 0.001)) }
            #expect(try await follower.poll().map(\.message.id) == [late] + burst)
            #expect(try await follower.poll().isEmpty)
        }
    }

    @Test("with no message at the start, every later one is news", arguments: TestDatabaseKind.available)
    func emptyStart(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let seed = MessagingSeed(database)
            let unit = try await seed.unit("loja")
            let maria = try await seed.contact(unit: unit, phone: "5511998765432", at: t0)
            let joao = try await seed.contact(unit: unit, phone: "5521987654321", at: t0)
            try await seed.message(joao, at: t0)  // another contact's history
            var follower = MessageFollower(
                store: database.store, filter: MessageFilter(unitId: unit, contactPhone: "5511998765432", limit: 10))
            #expect(try await follower.start().isEmpty)
            #expect(try await follower.poll().isEmpty)
            let first = try await seed.message(maria, at: t0 - 600)  // even one stamped in the past
            try await seed.message(joao, at: t0 + 1)
            #expect(try await follower.poll().map(\.message.id) == [first])
            #expect(try await follower.poll().isEmpty)
        }
    }
}
