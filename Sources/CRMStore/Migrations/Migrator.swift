import CRMCore
import Foundation
import SQLKit

/// Where one migration stands in a database.
package struct MigrationState: Sendable, Equatable, Codable {
    package var version: Int
    package var name: String
    package var appliedAt: Date?
    /// False when the applied SQL differs from the file shipped in this binary (the file was edited after it ran).
    package var matchesFile: Bool
    /// True for a migration recorded in the database that this binary does not know (a newer crm applied it).
    package var unknownToThisBinary: Bool

    package var isApplied: Bool { appliedAt != nil }
}

/// Applies the embedded migrations in order, each in its own transaction, under a lock that makes
/// concurrent runs (two processes migrating at once) wait for each other and then find nothing to do.
package struct Migrator: Sendable {
    let driver: any DatabaseDriver
    package let migrations: [Migration]

    init(driver: any DatabaseDriver, migrations: [Migration]? = nil) {
        self.driver = driver
        self.migrations = migrations ?? EmbeddedMigrations.migrations(for: driver.dialect)
    }

    /// Applied and pending migrations, without changing anything.
    package func status() async throws -> [MigrationState] {
        let applied = try await driver.read { sql in
            try await hasMigrationsTable(sql) ? try await appliedRows(sql) : []
        }
        let byVersion = Dictionary(applied.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        var states = migrations.map { migration in
            let row = byVersion[migration.version]
            return MigrationState(
                version: migration.version, name: migration.name, appliedAt: row?.appliedAt,
                matchesFile: row.map { $0.checksum == migration.checksum } ?? true, unknownToThisBinary: false
            )
        }
        let known = Set(migrations.map(\.version))
        states += applied.filter { !known.contains($0.version) }.map {
            MigrationState(version: $0.version, name: $0.name, appliedAt: $0.appliedAt, matchesFile: true, unknownToThisBinary: true)
        }
        return states.sorted { $0.version < $1.version }
    }

    /// Applies every pending migration; returns those this call applied (none when up to date).
    @discardableResult
    package func migrate(now: @escaping @Sendable () -> Date = { Date() }) async throws -> [Migration] {
        var applied: [Migration] = []
        var lockWaits = 0
        while true {
            do {
                guard let migration = try await applyNext(now: now()) else { break }
                applied.append(migration)
            } catch let error as CRMError where error.kind == .unavailable && driver.dialect == .sqlite && lockWaits < 5 {
                // Another crm holds the SQLite write lock past the busy timeout: most likely it is
                // applying these same migrations. Wait for it rather than fail; the next round
                // sees what it applied.
                lockWaits += 1
            }
        }
        return applied
    }

    /// One transaction: take the lock, read what is applied, apply the first pending migration.
    private func applyNext(now: Date) async throws -> Migration? {
        try await driver.transaction { sql in
            try await takeMigrationLock(sql)
            try await createMigrationsTable(sql)
            let done = Set(try await appliedRows(sql).map(\.version))
            guard let next = migrations.first(where: { !done.contains($0.version) }) else { return nil }
            do {
                for statement in SQLStatementSplitter.split(next.sql) {
                    try await sql.raw(SQLQueryString(statement)).run()
                }
            } catch {
                throw Self.failure(of: next, error, dialect: driver.dialect)
            }
            try await sql.raw("""
                INSERT INTO schema_migrations (version, name, checksum, applied_at)
                VALUES (\(bind: next.version), \(bind: next.name), \(bind: next.checksum), \(bind: now))
                """).run()
            return next
        }
    }

    /// A migration that the rows already stored refuse names itself and what refused it: the
    /// store's own error ("A record this one refers to does not exist.") would point elsewhere.
    static func failure(of migration: Migration, _ error: any Error, dialect: SQLDialectName) -> any Error {
        let refused: String
        switch DatabaseErrors.translate(error, dialect: dialect) {
        case StoreError.foreignKeyViolation: refused = "rows that refer to a record that does not exist or belongs to another unit"
        case StoreError.uniqueViolation(let key): refused = "rows that repeat a key that must be unique (\(key))"
        case StoreError.constraintViolation(let detail): refused = "rows that break a rule (\(detail))"
        case let other: return other
        }
        return CRMError.configuration(
            "Migration \(migration.label) failed: the database holds \(refused). Nothing of that migration was applied; "
                + "correct those rows, then run 'crm db migrate' again."
        )
    }

    private func takeMigrationLock(_ sql: any SQLDatabase) async throws {
        switch driver.dialect {
        case .postgres:
            // Held until the transaction ends; every crm migrating this database waits here.
            try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.advisoryLockKey))").run()
        case .sqlite:
            break  // BEGIN IMMEDIATE already holds the database's write lock
        }
    }

    private func createMigrationsTable(_ sql: any SQLDatabase) async throws {
        switch driver.dialect {
        case .postgres:
            try await sql.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                    applied_at timestamptz NOT NULL)
                """).run()
        case .sqlite:
            try await sql.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, checksum TEXT NOT NULL,
                    applied_at REAL NOT NULL) STRICT
                """).run()
        }
    }

    private func hasMigrationsTable(_ sql: any SQLDatabase) async throws -> Bool {
        let query: SQLQueryString = switch driver.dialect {
        case .postgres: "SELECT 1 AS present FROM pg_catalog.pg_tables WHERE tablename = 'schema_migrations' AND schemaname = current_schema()"
        case .sqlite: "SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        }
        return try await sql.raw(query).first() != nil
    }

    private struct AppliedRow {
        var version: Int
        var name: String
        var checksum: String
        var appliedAt: Date
    }

    private func appliedRows(_ sql: any SQLDatabase) async throws -> [AppliedRow] {
        try await sql.raw("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version").all().map {
            AppliedRow(
                version: try $0.decode(column: "version", as: Int.self),
                name: try $0.decode(column: "name", as: String.self),
                checksum: try $0.decode(column: "checksum", as: String.self),
                appliedAt: try $0.decode(column: "applied_at", as: Date.self)
            )
        }
    }

    /// An arbitrary constant that names crm's migration lock among PostgreSQL advisory locks ("crm" in ASCII, shifted).
    static let advisoryLockKey: Int64 = 0x63_72_6D_00_00_00_00_01
}
