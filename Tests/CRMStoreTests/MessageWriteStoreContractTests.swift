import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

/// The listener's write path under concurrency, on every database kind (PostgreSQL pooled too,
/// where the transactions really run at once): a message is stored once however many copies race.
@Suite("Message write store contract")
struct MessageWriteStoreContractTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func message(unit: UUID, id: String, phone: String, at date: Date) -> IncomingMessage {
        IncomingMessage(
            unitId: unit, provider: .evolution, externalId: id, phone: phone, lid: nil, senderName: "Maria",
            fromMe: false, kind: .text, body: "olá \(id)", sentAt: date, receivedAt: date
        )
    }

    func count(_ database: CRMDatabase, _ query: SQLQueryString) async throws -> Int {
        try await database.withUnsafeSQL { sql in try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    @Test("60 distinct messages from 6 contacts, each posted 3 times at once: each stored once", arguments: TestDatabaseKind.stores)
    func concurrentDistinctAndSame(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            let messages = (0..<60).map { index in
                message(unit: loja.id, id: "MSG\(index)", phone: "55119000000\(index % 6)", at: t0.addingTimeInterval(Double(index)))
            }
            let results = try await withThrowingTaskGroup(of: InboundStoreResult.self) { group in
                for message in (messages + messages + messages).shuffled() {
                    group.addTask { try await store.storeIncomingMessage(message) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let stored = results.compactMap { if case .stored(let id) = $0 { id } else { nil } }
            #expect(stored.count == 60 && Set(stored).count == 60)
            #expect(results.filter { $0 == .duplicate }.count == 120)
            #expect(try await count(database, "SELECT count(*) AS n FROM messages") == 60)
            #expect(try await count(database, "SELECT count(DISTINCT external_id) AS n FROM messages") == 60)
            #expect(try await count(database, "SELECT count(*) AS n FROM contacts") == 6)
            #expect(try await count(database, "SELECT count(*) AS n FROM conversations") == 6)
            // Each conversation shows its newest message, whatever order the transactions committed in.
            let newest = try await database.withUnsafeSQL { sql in
                try await sql.raw("""
                    SELECT m.external_id FROM conversations c JOIN messages m ON m.id = c.last_message_id ORDER BY m.external_id
                    """).all().map { try $0.decode(column: "external_id", as: String.self) }
            }
            #expect(newest == (54..<60).map { "MSG\($0)" })
        }
    }

    @Test("a failing statement rolls its transaction back and leaves the connection usable", arguments: TestDatabaseKind.stores)
    func rollbackOnError(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            // More rounds than the pool has connections: every pooled connection comes back clean.
            for round in 0..<(TestDatabaseKind.testPoolSize * 2) {
                await #expect(throws: StoreError.self) {
                    try await database.withUnsafeTransaction { sql in
                        try await sql.raw("""
                            INSERT INTO units (id, name, slug, created_at, updated_at)
                            VALUES (\(bind: UUID()), 'A', \(bind: "a-\(round)"), \(bind: t0), \(bind: t0))
                            """).run()
                        try await sql.raw("""
                            INSERT INTO units (id, name, slug, created_at, updated_at)
                            VALUES (\(bind: UUID()), 'B', \(bind: "a-\(round)"), \(bind: t0), \(bind: t0))
                            """).run()
                    }
                }
            }
            #expect(try await count(database, "SELECT count(*) AS n FROM units") == 0)

            // An error of the caller's own rolls back too (a crm error comes out unchanged).
            let thrown = await #expect(throws: CRMError.self) {
                try await database.withUnsafeTransaction { sql in
                    try await sql.raw("""
                        INSERT INTO units (id, name, slug, created_at, updated_at)
                        VALUES (\(bind: UUID()), 'C', 'c', \(bind: t0), \(bind: t0))
                        """).run()
                    throw CRMError.invalidInput("abort")
                }
            }
            #expect(thrown?.message == "abort")
            #expect(try await count(database, "SELECT count(*) AS n FROM units") == 0)

            // A message for a unit that does not exist: a foreign key violation, nothing stored.
            await #expect(throws: StoreError.foreignKeyViolation) {
                try await database.store.storeIncomingMessage(message(unit: UUID(), id: "X", phone: "5511900000001", at: t0))
            }
            #expect(try await count(database, "SELECT count(*) AS n FROM contacts") == 0)
            _ = try await UnitService(store: database.store).create(name: "Loja")
            #expect(try await count(database, "SELECT count(*) AS n FROM units") == 1)
        }
    }
}

/// What only the pool does: transactions at once, and errors that name the cause.
@Suite("PostgreSQL pool")
struct PostgresPoolTests {
    @Test("transactions run at once, up to the pool's size")
    func parallelTransactions() async throws {
        guard TestDatabaseKind.stores.contains(.postgresPool) else { return }  // needs CRM_TEST_POSTGRES_URL
        try await TestDatabases.with(.postgresPool) { database in
            let size = TestDatabaseKind.testPoolSize
            #expect(database.connectionLimit == size)
            // Each transaction waits until the server sees `size` transactions open in this database (or
            // another transaction saw it): a barrier that only concurrent transactions pass.
            let reached = Reached()
            let seen = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<size {
                    group.addTask {
                        try await database.withUnsafeTransaction { sql in
                            let deadline = ContinuousClock.now + .seconds(20)
                            var open = 0
                            while open < size, await !reached.value, ContinuousClock.now < deadline {
                                try await sql.raw("SELECT pg_stat_clear_snapshot()").run()
                                open = try await sql.raw("""
                                    SELECT count(*) AS n FROM pg_stat_activity
                                    WHERE datname = current_database() AND xact_start IS NOT NULL
                                    """).first()?.decode(column: "n", as: Int.self) ?? 0
                                if open == size { await reached.set() } else { try await Task.sleep(for: .milliseconds(20)) }
                            }
                            return open
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(seen.max() == size, "\(seen)")
        }
    }

    private actor Reached {
        var value = false
        func set() { value = true }
    }

    @Test("a wrong password or an unreachable server fails at open with the direct connection's message")
    func connectErrors() async throws {
        let unreachable = try DatabaseLocation.parse("postgres://crm:pw-secret@127.0.0.1:1/crm")
        let started = ContinuousClock.now
        do {
            _ = try await CRMDatabase.open(unreachable, poolSize: 4, logger: TestDatabases.logger)
            Issue.record("opened a pool to a closed port")
        } catch let error as CRMError {
            #expect(error.kind == .unavailable && error.message.contains("127.0.0.1:1"), "\(error.message)")
            #expect(!error.message.contains("pw-secret"))
        }
        // It gives up instead of hanging: 10 s of connect timeout at most, on a loaded machine more.
        #expect(ContinuousClock.now - started < .seconds(60), "the direct connection gives up")

        guard let server = TestDatabases.postgresServerURL, var components = URLComponents(string: server),
              components.password != nil else { return }
        components.password = "wrong-password"
        do {
            _ = try await CRMDatabase.open(try DatabaseLocation.parse(components.string!), poolSize: 4, logger: TestDatabases.logger)
            Issue.record("opened a pool with a wrong password")
        } catch let error as CRMError {
            #expect(error.kind == .unavailable && error.message.contains("password"), "\(error.message)")
        }
    }
}
