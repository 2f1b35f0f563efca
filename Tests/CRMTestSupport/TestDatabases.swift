import CRMCore
import CRMStore
import Foundation
import Logging

/// The databases a contract test runs against: SQLite always; PostgreSQL when CRM_TEST_POSTGRES_URL
/// names a server (CI always sets it, and .ci/run fails when the PostgreSQL leg did not run).
package enum TestDatabaseKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres
    /// PostgreSQL through the listener's connection pool (`CRMDatabase.open(poolSize:)`): the same
    /// database URL, so only store tests (which open the database in-process) can tell it apart.
    case postgresPool = "postgres-pool"

    package var description: String { rawValue }

    /// The kinds a database URL can name: for tests that run the `crm` binary.
    package static var available: [TestDatabaseKind] {
        TestDatabases.postgresServerURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    /// The kinds the store contract tests run against: each URL kind, and PostgreSQL pooled too.
    package static var stores: [TestDatabaseKind] {
        TestDatabases.postgresServerURL == nil ? [.sqlite] : [.sqlite, .postgres, .postgresPool]
    }

    /// The pool size `open` uses for `.postgresPool`: small, so that tests also queue for a connection.
    package static let testPoolSize = 4

    /// What `CRMDatabase.open` gets as `poolSize` for this kind.
    package var poolSize: Int? { self == .postgresPool ? Self.testPoolSize : nil }
}

package enum TestDatabases {
    package static let logger = Logger(label: "crm-tests")

    /// The PostgreSQL server for tests, e.g. postgres://postgres@127.0.0.1:54329/postgres. Connecting
    /// may take up to 60 s (`connect_timeout`): the whole suite opens hundreds of connections at once
    /// on a 2-core machine, and a 10 s bound failed tests that had nothing wrong.
    package static var postgresServerURL: String? {
        guard let url = ProcessInfo.processInfo.environment["CRM_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        guard !url.contains("connect_timeout="), var components = URLComponents(string: url) else { return url }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "connect_timeout", value: "60")]
        return components.string ?? url
    }

    /// A folder of its own for one test, under the system's temporary folder.
    package static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-tests-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A URL for a new, empty database of the given kind (not yet migrated).
    package static func freshURL(_ kind: TestDatabaseKind) async throws -> String {
        switch kind {
        case .sqlite:
            return "sqlite://" + (try temporaryFolder().appendingPathComponent("crm.sqlite").path)
        case .postgres, .postgresPool:
            guard let server = postgresServerURL else {
                throw CRMError.configuration("CRM_TEST_POSTGRES_URL is not set")
            }
            let name = "crm_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16))"
            let maintenance = try await CRMDatabase.open(try DatabaseLocation.parse(server), logger: logger)
            do {
                try await maintenance.execute(unsafeSQL: "CREATE DATABASE \(name)")
            } catch {
                await maintenance.close()
                throw error
            }
            await maintenance.close()
            guard var components = URLComponents(string: server) else { throw CRMError.configuration("bad URL") }
            components.path = "/" + name
            return components.string!
        }
    }

    /// Opens a new empty database of the given kind; migrated unless `migrated` is false.
    package static func open(_ kind: TestDatabaseKind, migrated: Bool = true) async throws -> CRMDatabase {
        let database = try await CRMDatabase.open(
            try DatabaseLocation.parse(try await freshURL(kind)), poolSize: kind.poolSize, logger: logger
        )
        if migrated { try await database.migrator.migrate() }
        return database
    }
}

extension TestDatabases {
    /// Runs `body` with a new database of the given kind, closed afterwards whatever happens.
    package static func with<T>(
        _ kind: TestDatabaseKind, migrated: Bool = true, _ body: (CRMDatabase) async throws -> T
    ) async throws -> T {
        let database = try await open(kind, migrated: migrated)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}
