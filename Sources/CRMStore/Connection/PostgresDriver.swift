import CRMCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit

/// One PostgreSQL connection, for a command-line run: a command needs a single connection, and
/// connecting directly (rather than through a pool that retries in the background) reports
/// a wrong password or an unreachable server at once, with its reason.
final class PostgresDriver: DatabaseDriver {

    let dialect = SQLDialectName.postgres
    private let connection: PostgresConnection
    private let logger: Logger
    private let lock = AsyncLock()

    private init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    static func connect(_ settings: PostgresSettings, logger: Logger) async throws -> PostgresDriver {
        PostgresDriver(connection: try await openConnection(settings, logger: logger), logger: logger)
    }

    /// One connection, or a one-line error that names the cause (wrong password, unreachable
    /// server, TLS) and what to check.
    static func openConnection(_ settings: PostgresSettings, logger: Logger) async throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username,
            password: settings.password, database: settings.database, tls: try tls(for: settings)
        )
        configuration.options.connectTimeout = .seconds(Int64(settings.connectTimeout) - 1)
        let target = "\(settings.host):\(settings.port)"
        let finalConfiguration = configuration
        do {
            return try await withTimeout(
                seconds: settings.connectTimeout,
                onTimeout: {
                    CRMError.unavailable(
                        "PostgreSQL at \(target) did not answer within \(Int(settings.connectTimeout)) seconds: "
                            + "check the host, the port and any firewall."
                    )
                },
                { try await PostgresConnection.connect(configuration: finalConfiguration, id: 1, logger: logger) }
            )
        } catch let error as CRMError {
            throw error
        } catch {
            throw DatabaseErrors.postgresConnectFailure(error, settings: settings)
        }
    }

    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock {
            try await SerializedConnection.read(connection.sql(queryLogLevel: nil), dialect: .postgres, body)
        }
    }

    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock {
            try await SerializedConnection.transaction(
                connection.sql(queryLogLevel: nil), begin: "BEGIN", dialect: .postgres, body
            )
        }
    }

    /// A single statement is its own transaction on PostgreSQL.
    func writeStatement<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await read(body)
    }

    func close() async {
        try? await connection.close()
    }

    /// libpq's sslmode semantics (see `PostgresSettings`).
    static func tls(for settings: PostgresSettings) throws -> PostgresConnection.Configuration.TLS {
        guard let tls = try tlsConfiguration(for: settings) else { return .disable }
        do {
            let context = try NIOSSLContext(configuration: tls)
            return settings.sslMode == .prefer ? .prefer(context) : .require(context)
        } catch {
            throw CRMError.configuration(
                "Cannot set up TLS for PostgreSQL: check sslrootcert (\(settings.sslRootCertificate ?? "none"))."
            )
        }
    }

    /// The TLS configuration for the sslmode, or `nil` for `disable`.
    static func tlsConfiguration(for settings: PostgresSettings) throws -> TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch settings.sslMode {
        case .disable:
            return nil
        case .prefer, .require:
            tls.certificateVerification = .none
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        if let root = settings.sslRootCertificate {
            tls.trustRoots = .file(root)
        }
        return tls
    }
}
