import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

@Suite("Migrations")
struct MigrationTests {
    @Test("a fresh database lists every embedded migration as pending", arguments: TestDatabaseKind.stores)
    func freshDatabaseIsPending(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind, migrated: false) { database in
            let states = try await database.migrator.status()
            #expect(!states.isEmpty)
            #expect(states.allSatisfy { !$0.isApplied })
            #expect(states.map(\.version) == database.migrator.migrations.map(\.version))
        }
    }

    @Test("migrate applies everything once; a second run is a no-op", arguments: TestDatabaseKind.stores)
    func migrateTwice(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind, migrated: false) { database in
            let first = try await database.migrator.migrate()
            #expect(first.map(\.version) == database.migrator.migrations.map(\.version))
            let second = try await database.migrator.migrate()
            #expect(second.isEmpty)
            let states = try await database.migrator.status()
            #expect(states.allSatisfy { $0.isApplied && $0.matchesFile && !$0.unknownToThisBinary })
            let tables = try await tableNames(database)
            for table in [
                "units", "users", "contacts", "conversations", "messages", "unit_whatsapp_connections", "campaigns",
                "campaign_recipients", "webhook_events", "refresh_tokens", "schema_migrations",
            ] {
                #expect(tables.contains(table), "missing table \(table)")
            }
        }
    }

    @Test("two connections migrating at once apply each migration exactly once", arguments: TestDatabaseKind.stores)
    func concurrentMigrations(kind: TestDatabaseKind) async throws {
        let url = try await TestDatabases.freshURL(kind)
        let location = try DatabaseLocation.parse(url)
        let opened = await withTaskGroup(of: Result<CRMDatabase, any Error>.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    do { return .success(try await CRMDatabase.open(location, poolSize: kind.poolSize, logger: TestDatabases.logger)) }
                    catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        // Every database that opened is closed, even when another failed to (an open one dropped
        // unclosed is an assertion failure in SQLite's debug build, which would end the whole run).
        let databases = opened.compactMap { try? $0.get() }
        guard databases.count == opened.count else {
            for database in databases { await database.close() }
            for case .failure(let error) in opened { Issue.record(error, "an open failed") }
            return
        }
        let outcomes = await withTaskGroup(of: Result<MigrateOutcome, any Error>.self) { group in
            for database in databases {
                group.addTask {
                    do { return .success(try await Self.migrateRetryingWhileLocked(database)) } catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let rows = try? await databases[0].withUnsafeSQL { sql in
            try await sql.raw("SELECT count(*) AS n FROM schema_migrations").first()?.decode(column: "n", as: Int.self)
        }
        let expected = databases[0].migrator.migrations.count
        for database in databases { await database.close() }
        let applied = try outcomes.map { try $0.get() }
        let claimed = applied.map(\.applied).reduce(0, +)
        // A retried run does not count what its failed attempt applied before the lock stopped it,
        // so then the runs may claim fewer; never more (no migration applied twice).
        if applied.contains(where: \.retried) {
            #expect(claimed <= expected)
        } else {
            #expect(claimed == expected)
        }
        #expect(rows == expected)
    }

    /// What one connection's `migrate` reported, and whether it had to try again.
    struct MigrateOutcome: Sendable {
        var applied: Int
        var retried: Bool
    }

    /// `migrate`, again when SQLite stayed locked past its 10 s busy timeout, as the error says to:
    /// on a loaded machine the other three migrating connections can hold the lock that long.
    static func migrateRetryingWhileLocked(_ database: CRMDatabase) async throws -> MigrateOutcome {
        var attempt = 1
        while true {
            do {
                return MigrateOutcome(applied: try await database.migrator.migrate().count, retried: attempt > 1)
            } catch let error as CRMError where error.kind == .unavailable && error.message.contains("locked") && attempt < 5 {
                attempt += 1
            }
        }
    }

    @Test("a migration recorded by a newer crm is reported as unknown", arguments: TestDatabaseKind.stores)
    func newerMigrationIsFlagged(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            try await database.withUnsafeSQL { sql in
                try await sql.raw("""
                    INSERT INTO schema_migrations (version, name, checksum, applied_at)
                    VALUES (9999, 'from_the_future', 'x', \(bind: Date()))
                    """).run()
            }
            let states = try await database.migrator.status()
            #expect(states.last?.version == 9999)
            #expect(states.last?.unknownToThisBinary == true)
        }
    }

    @Test("the SQLite and PostgreSQL migrations define the same tables")
    func dialectsAgree() {
        func tables(_ dialect: SQLDialectName) -> Set<String> {
            let sql = EmbeddedMigrations.migrations(for: dialect).map(\.sql).joined(separator: "\n")
            let matches = sql.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("CREATE TABLE ") else { return nil }
                return line.dropFirst("CREATE TABLE ".count).split(separator: " ").first.map(String.init)
            }
            return Set(matches)
        }
        #expect(tables(.sqlite) == tables(.postgres))
        #expect(tables(.sqlite).count == 12, "the ten tables of 0001 and pending_message_statuses (0004), unit_send_pacing (0007)")
    }

    /// PostgreSQL's 0013 checks the rows stored before 0012's references (SQLite's triggers only
    /// check new rows, so no stored row can make its migrations fail).
    @Test("a migration refused by the stored rows names itself; those before it stay applied, it stays pending",
          arguments: TestDatabaseKind.stores.filter { $0 != .sqlite })
    func refusedByStoredRows(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind, migrated: false) { database in
            let all = database.migrator.migrations
            try await Migrator(driver: database.driver, migrations: all.filter { $0.version < 12 }).migrate()
            // Before 0012, a message could point at another unit's conversation.
            let now = Date()
            let (unit, otherUnit, contact, conversation) = (UUID(), UUID(), UUID(), UUID())
            try await database.withUnsafeSQL { sql in
                for (id, slug) in [(unit, "a"), (otherUnit, "b")] {
                    try await sql.raw("""
                        INSERT INTO units (id, name, slug, created_at, updated_at) VALUES (\(bind: id), 'U', \(bind: slug), \(bind: now), \(bind: now))
                        """).run()
                }
                try await sql.raw("""
                    INSERT INTO contacts (id, unit_id, phone, created_at, updated_at)
                    VALUES (\(bind: contact), \(bind: unit), '5511999990001', \(bind: now), \(bind: now))
                    """).run()
                try await sql.raw("""
                    INSERT INTO conversations (id, unit_id, contact_id, created_at, updated_at)
                    VALUES (\(bind: conversation), \(bind: unit), \(bind: contact), \(bind: now), \(bind: now))
                    """).run()
                try await sql.raw("""
                    INSERT INTO messages (id, unit_id, conversation_id, contact_id, direction, body, status, created_at, updated_at)
                    VALUES (\(bind: UUID()), \(bind: otherUnit), \(bind: conversation), \(bind: contact), 'outbound', 'hi', 'queued',
                            \(bind: now), \(bind: now))
                    """).run()
            }
            let error = await #expect(throws: CRMError.self) { try await database.migrator.migrate() }
            #expect(error?.kind == .configuration)
            #expect(error?.message.contains("Migration 0013_validate_unit_consistent_references failed") == true, "\(String(describing: error))")
            #expect(error?.message.contains("another unit") == true)
            let states = try await database.migrator.status()
            #expect(states.filter { !$0.isApplied }.map(\.version) == all.map(\.version).filter { $0 >= 13 })
        }
    }

    private func tableNames(_ database: CRMDatabase) async throws -> Set<String> {
        let query: SQLQueryString = switch database.location.dialect {
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table'"
        case .postgres: "SELECT tablename AS name FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
        }
        return try await database.withUnsafeSQL { sql in
            Set(try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
        }
    }
}

@Suite("Test configuration")
struct TestConfigurationTests {
    /// CI must run every contract test against PostgreSQL too; a missing URL there is a failure, not a skip.
    @Test func postgresLegRunsInCI() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(TestDatabaseKind.available.contains(.postgres), "CI=true but CRM_TEST_POSTGRES_URL is not set")
        }
    }
}
