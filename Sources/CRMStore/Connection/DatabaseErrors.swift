import CRMCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import SQLiteNIO

/// Turns driver errors into `StoreError` (constraints the use cases act on) or `CRMError`
/// (one line for the user). Driver messages can carry SQL and values, so none is passed on as is.
enum DatabaseErrors {
    static func translate(_ error: any Error, dialect: SQLDialectName) -> any Error {
        if error is CRMError || error is StoreError || error is CancellationError { return error }
        if let error = error as? PSQLError { return translate(error) }
        if let error = error as? SQLiteError { return translate(error) }
        return CRMError(.internal, "The database failed unexpectedly (\(dialect.rawValue)): run again with --log-level debug.")
    }

    private static func translate(_ error: PSQLError) -> any Error {
        let state = error.serverInfo?[.sqlState] ?? ""
        let constraint = error.serverInfo?[.constraintName] ?? error.serverInfo?[.tableName] ?? "unknown"
        switch state {
        case "23505": return StoreError.uniqueViolation(key: constraint)
        case "23503": return StoreError.foreignKeyViolation
        case "23502", "23514": return StoreError.constraintViolation(detail: constraint)
        case "42P01", "42703":
            return CRMError.configuration("The database schema is not what this crm expects: run 'crm db migrate'.")
        case "40001", "40P01":
            return CRMError.transactionConflict
        default: break
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return CRMError.unavailable("The connection to PostgreSQL was lost: check the server and run again.")
        default:
            return CRMError(.internal, "PostgreSQL refused a statement (SQLSTATE \(state.isEmpty ? "none" : state)): run with --log-level debug and report it.")
        }
    }

    private static func translate(_ error: SQLiteError) -> any Error {
        switch error.reason {
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed:
            // "UNIQUE constraint failed: units.slug" or "...: index 'users_email_lower_key'"
            let key = error.message.components(separatedBy: "failed: ").last ?? "unknown"
            return StoreError.uniqueViolation(key: key.replacingOccurrences(of: "index ", with: "").replacingOccurrences(of: "'", with: ""))
        case .constraintForeignKeyFailed, .constraintTriggerFailed:
            // The schema's only aborting triggers check references (db/sqlite/0012), as PostgreSQL's
            // composite foreign keys do: the same error on both.
            return StoreError.foreignKeyViolation
        case .constraint, .constraintCheckFailed, .constraintNotNullFailed, .constraintStrictDataTypeFailed:
            return StoreError.constraintViolation(detail: error.message.components(separatedBy: "failed: ").last ?? "")
        case .busy, .busyTimeout, .locked:
            return CRMError.unavailable("The SQLite database stayed locked by another process for 10 seconds: try again.")
        case .readOnly, .readonlyDirectory, .readonlyCantLock:
            return CRMError.unavailable("The SQLite database is read-only: check the permissions of the file and its folder.")
        case .full:
            return CRMError.unavailable("The disk is full: free space for the SQLite database.")
        case .notADatabase, .corrupt:
            return CRMError.unavailable("The file is not a crm SQLite database (or it is damaged): check the --database path.")
        case .error where error.message.contains("no such table") || error.message.contains("no such column"):
            return CRMError.configuration("The database schema is not what this crm expects: run 'crm db migrate'.")
        default:
            return CRMError(.internal, "SQLite failed unexpectedly: run with --log-level debug and report it.")
        }
    }

    static func sqliteOpenFailure(_ error: any Error, path: String) -> any Error {
        let translated = translate(error, dialect: .sqlite)
        if let crmError = translated as? CRMError, crmError.kind != .internal { return crmError }
        return CRMError.unavailable("Cannot open the SQLite database \(path): check that it is a crm database you may write.")
    }

    static func postgresConnectFailure(_ error: any Error, settings: PostgresSettings) -> CRMError {
        let target = "\(settings.host):\(settings.port)"
        guard let error = error as? PSQLError else {
            return .unavailable("Cannot reach PostgreSQL at \(target): check that the server runs and the URL is right.")
        }
        switch error.serverInfo?[.sqlState] {
        case "28P01", "28000":
            return .unavailable(
                "PostgreSQL at \(target) refused user '\(settings.username)' (wrong password or not allowed): "
                    + "check the user and password in the database URL."
            )
        case "3D000":
            return .unavailable(
                "The database '\(settings.database ?? settings.username)' does not exist on \(target): create it or fix the URL."
            )
        case "53300":
            return .unavailable("PostgreSQL at \(target) has too many connections: try again or raise max_connections.")
        default:
            break
        }
        switch error.code {
        case .sslUnsupported:
            return .unavailable(
                "PostgreSQL at \(target) does not offer TLS but sslmode=\(settings.sslMode.rawValue) requires it: "
                    + "use sslmode=disable or prefer, or enable TLS on the server."
            )
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return .unavailable("The TLS handshake with PostgreSQL at \(target) failed: check sslmode and sslrootcert.")
        case .authMechanismRequiresPassword:
            return .unavailable("PostgreSQL at \(target) asks for a password: add it to the database URL.")
        case .unsupportedAuthMechanism:
            return .unavailable("PostgreSQL at \(target) asks for an authentication method crm does not support.")
        default:
            let reason = connectionReason(error.underlying)
            return .unavailable(
                "Cannot reach PostgreSQL at \(target)\(reason): check that the server runs and the host and port are right."
            )
        }
    }

    private static func connectionReason(_ error: (any Error)?) -> String {
        guard let error else { return "" }
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED { return " (connection refused)" }
        let text = String(describing: error)
        if text.contains("refused") { return " (connection refused)" }
        if text.contains("resolve") || text.contains("NXDOMAIN") || text.contains("lookup") { return " (unknown host)" }
        if text.contains("timeout") || text.contains("Timeout") { return " (timed out)" }
        if error is NIOSSLError { return " (TLS failure)" }
        return ""
    }
}

