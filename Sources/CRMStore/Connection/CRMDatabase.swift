import CRMCore
import Foundation
import Logging

/// An open crm database: its location, its migrations and its store.
package final class CRMDatabase: Sendable {
    package let location: DatabaseLocation
    let driver: any DatabaseDriver
    let logger: Logger

    /// How long `close` waits for the driver before it gives up and says so. In loaded CI runs
    /// postgres-nio's `PostgresConnection.close()` took longer than 20 s once or twice a run, and
    /// before this limit two runs hung with no connection, thread or child process left.
    static let closeLimit: Duration = .seconds(10)

    private init(location: DatabaseLocation, driver: any DatabaseDriver, logger: Logger) {
        self.location = location
        self.driver = driver
        self.logger = logger
    }

    /// Opens the database. `createFolder` lets crm create the parent folder of a SQLite file
    /// (for the default location in the user's data folder).
    ///
    /// `poolSize` is for long-running processes (the listener): on PostgreSQL it opens a pool of up
    /// to that many connections, so that requests run their transactions at once; `nil` (commands)
    /// opens one direct connection. SQLite always has one connection (its writers take turns anyway).
    package static func open(
        _ location: DatabaseLocation, createFolder: Bool = false, poolSize: Int? = nil, logger: Logger
    ) async throws -> CRMDatabase {
        let driver: any DatabaseDriver
        switch location {
        case .sqlite(let path):
            // A pool size marks a long-running process: its commits leave checkpoints to a thread of their own.
            driver = try await SQLiteDriver.open(
                path: path, createFolder: createFolder, backgroundCheckpoints: poolSize != nil, logger: logger)
        case .postgres(let settings):
            if let poolSize {
                driver = try await PostgresPoolDriver.connect(settings, size: max(1, poolSize), logger: logger)
            } else {
                driver = try await PostgresDriver.connect(settings, logger: logger)
            }
        }
        let notifyOthers: (@Sendable () async -> Void)? = switch location {
        case .sqlite: nil
        case .postgres: { try? await driver.read { sql in try await sql.raw("NOTIFY \(unsafeRaw: ChangeAnnouncer.channel)").run() } }
        }
        let announced = AnnouncingDriver(base: driver, announcer: ChangeAnnouncer(notifyOthers: notifyOthers))
        return CRMDatabase(location: location, driver: announced, logger: logger)
    }

    /// How many connections may run statements at once: the pool's size, or 1.
    package var connectionLimit: Int { ((driver as? AnnouncingDriver)?.base as? PostgresPoolDriver)?.size ?? 1 }

    package var migrator: Migrator { Migrator(driver: driver) }
    package var store: SQLStore { SQLStore(driver: driver) }

    /// Closes the connections, also from a cancelled task (Ctrl-C in `crm demo`): the drivers'
    /// close gives up at once when its task is cancelled, which would leave SQLite's connection open.
    /// Waits `closeLimit` at most: a driver whose close never ends (a test run hung with no
    /// connection left open) is logged and left behind, so that a listener still stops.
    package func close() async {
        let driver = self.driver
        let closing = Task { await driver.close() }
        if await !closing.finishes(within: Self.closeLimit) {
            // Notice, not warning: a command's user can do nothing about it, and its stderr stays clean.
            logger.notice(
                "The database did not close within \(Self.closeLimit.components.seconds) s; going on without waiting for it.",
                metadata: ["driver": "\(type(of: (driver as? AnnouncingDriver)?.base ?? driver))"]
            )
        }
    }
}

import SQLKit

extension CRMDatabase {
    /// Direct SQL access for tests and maintenance tools inside this package; the store's methods are the real API.
    package func withUnsafeSQL<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await driver.read(body)
    }

    /// Direct SQL in one transaction (rolled back when `body` throws), for tests and maintenance tools.
    package func withUnsafeTransaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await driver.transaction(body)
    }

    /// A trivial query: whether the database answers (the listener's /health).
    package func ping() async throws {
        try await driver.read { sql in try await sql.raw("SELECT 1 AS ok").run() }
    }

    /// Runs one statement given as text. Never with user input: nothing is bound.
    package func execute(unsafeSQL statement: String) async throws {
        try await driver.read { sql in try await sql.raw(SQLQueryString(statement)).run() }
    }
}
