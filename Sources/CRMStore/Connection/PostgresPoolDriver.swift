import CRMCore
import Foundation
import Logging
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit

/// A pool of PostgreSQL connections for a long-running process (`crm webhook serve`), over
/// postgres-nio's `PostgresClient`: each `read` and each `transaction` leases one connection for
/// its length, so up to `size` of them run at once. A transaction is BEGIN … COMMIT (ROLLBACK on
/// any error) on its leased connection, with the same error translation as `PostgresDriver`.
///
/// Opening validates the settings with one direct connection first, so that a wrong password or
/// an unreachable server fails at start with the same one-line message as a CLI command (the pool
/// itself would retry in the background and only fail the first request, a minute later). A
/// connection lost later is replaced by the pool; the statement that was on it fails with
/// "connection lost".
final class PostgresPoolDriver: DatabaseDriver {
    let dialect = SQLDialectName.postgres
    let size: Int
    private let client: PostgresClient
    private let runTask: Task<Void, Never>

    private init(client: PostgresClient, size: Int, runTask: Task<Void, Never>) {
        self.client = client
        self.size = size
        self.runTask = runTask
    }

    static func connect(_ settings: PostgresSettings, size: Int, logger: Logger) async throws -> PostgresPoolDriver {
        precondition(size >= 1, "a pool holds at least one connection")
        // The clear startup errors (password, host, database, TLS) come from one direct connection.
        let probe = try await PostgresDriver.connect(settings, logger: logger)
        await probe.close()

        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username,
            password: settings.password, database: settings.database, tls: try clientTLS(for: settings)
        )
        configuration.options.connectTimeout = .seconds(Int64(settings.connectTimeout) - 1)
        configuration.options.maximumConnections = size
        // Keep a couple of connections open between bursts; the rest open on demand and close after a minute idle.
        configuration.options.minimumConnections = min(2, size - 1)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runTask = Task { await client.run() }
        let driver = PostgresPoolDriver(client: client, size: size, runTask: runTask)
        do {
            // One query through the pool, so that a pool that cannot lease fails here rather than on the first webhook.
            let target = "\(settings.host):\(settings.port)"
            _ = try await withTimeout(
                seconds: settings.connectTimeout,
                onTimeout: {
                    CRMError.unavailable(
                        "PostgreSQL at \(target) did not answer within \(Int(settings.connectTimeout)) seconds: "
                            + "check the host, the port and any firewall."
                    )
                },
                { try await client.query("SELECT 1", logger: logger).collect() }
            )
        } catch let error as CRMError {
            await driver.close()
            throw error
        } catch {
            await driver.close()
            throw DatabaseErrors.postgresConnectFailure(error, settings: settings)
        }
        return driver
    }

    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await leased { sql in try await SerializedConnection.read(sql, dialect: .postgres, body) }
    }

    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await leased { sql in try await SerializedConnection.transaction(sql, begin: "BEGIN", dialect: .postgres, body) }
    }

    /// A single statement is its own transaction on PostgreSQL: one round trip instead of three.
    func writeStatement<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await read(body)
    }

    /// Cancels the pool's run task (which closes every connection) and waits for it.
    func close() async {
        runTask.cancel()
        await runTask.value
    }

    /// Runs `body` on a leased connection. Errors from `body` are already translated; a lease that
    /// fails (pool closed, server unreachable for long enough to trip the pool's circuit breaker)
    /// becomes one "unavailable" line.
    private func leased<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        var started = false
        do {
            return try await client.withConnection { connection in
                started = true
                return try await body(connection.sql(queryLogLevel: nil))
            }
        } catch {
            guard !started else { throw error }
            if error is CancellationError { throw error }
            throw CRMError.unavailable(
                "No PostgreSQL connection could be opened for this request: check that the server runs and accepts connections."
            )
        }
    }

    /// libpq's sslmode semantics (see `PostgresSettings`), in the form `PostgresClient` takes.
    static func clientTLS(for settings: PostgresSettings) throws -> PostgresClient.Configuration.TLS {
        guard let tls = try PostgresDriver.tlsConfiguration(for: settings) else { return .disable }
        return settings.sslMode == .prefer ? .prefer(tls) : .require(tls)
    }
}
