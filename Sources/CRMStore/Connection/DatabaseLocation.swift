import CRMCore
import Foundation

/// Where the database is, parsed from a `--database` URL or the environment.
///
/// Accepted forms: `sqlite:///absolute/path.sqlite`, `sqlite:relative/path.sqlite`,
/// `postgres://user:pass@host:port/db?sslmode=...` and `postgresql://...`.
package enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresSettings)

    package var dialect: SQLDialectName {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// The location for messages: the SQLite path, or the PostgreSQL URL without its password.
    package var displayName: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let settings): settings.redactedURL
        }
    }

    /// Parses a database URL. `currentDirectory` resolves relative SQLite paths.
    package static func parse(_ text: String, currentDirectory: String = FileManager.default.currentDirectoryPath)
        throws -> DatabaseLocation
    {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("sqlite:") {
            return .sqlite(path: try sqlitePath(String(trimmed.dropFirst("sqlite:".count)), currentDirectory))
        }
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            return .postgres(try PostgresSettings(url: trimmed))
        }
        throw CRMError.configuration(
            "Unsupported database URL '\(Masking.urlPassword(String(trimmed.prefix(120))))': use "
                + "sqlite:///absolute/path.sqlite, sqlite:relative.sqlite or postgres://user:password@host:5432/db."
        )
    }

    private static func sqlitePath(_ rest: String, _ currentDirectory: String) throws -> String {
        var path = rest
        if path.hasPrefix("//") {
            // sqlite:///abs/path → "/abs/path"; sqlite://host/path has an authority, which makes no sense here.
            path.removeFirst(2)
            guard path.hasPrefix("/") else {
                throw CRMError.configuration(
                    "Invalid SQLite URL 'sqlite:\(rest)': use sqlite:///absolute/path.sqlite or sqlite:relative.sqlite."
                )
            }
        }
        path = path.removingPercentEncoding ?? path
        guard !path.isEmpty, path != "/" else {
            throw CRMError.configuration("The SQLite URL has no file path: use sqlite:///absolute/path.sqlite.")
        }
        if !path.hasPrefix("/") {
            path = URL(fileURLWithPath: currentDirectory).appendingPathComponent(path).standardizedFileURL.path
        }
        return path
    }
}

package enum SQLDialectName: String, Sendable {
    case sqlite
    case postgres
}
