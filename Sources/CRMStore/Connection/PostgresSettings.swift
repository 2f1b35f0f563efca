import CRMCore
import Foundation

/// A PostgreSQL server's address and credentials, read from a postgres:// URL.
///
/// `sslmode` follows libpq: `disable`; `prefer` (the default: TLS when offered, certificate not checked);
/// `require` (TLS, certificate not checked: what Supabase's connection strings use);
/// `verify-ca` (TLS, trusted chain); `verify-full` (TLS, trusted chain and host name).
/// `sslrootcert=/path/ca.pem` adds a trusted root for the verify modes.
package struct PostgresSettings: Sendable, Equatable {
    package enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    package var host: String
    package var port: Int
    package var username: String
    package var password: String?
    package var database: String?
    package var sslMode: SSLMode
    package var sslRootCertificate: String?
    /// libpq's `connect_timeout` (seconds, at least 2): how long connecting may take. 10 when not given.
    package var connectTimeout: Double

    package init(url text: String) throws {
        let invalid = CRMError.configuration(
            "Invalid PostgreSQL URL '\(Masking.urlPassword(String(text.prefix(160))))': "
                + "use postgres://user:password@host:5432/database?sslmode=require."
        )
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw invalid
        }
        guard let user = components.user, !user.isEmpty else {
            throw CRMError.configuration(
                "The PostgreSQL URL '\(Masking.urlPassword(String(text.prefix(160))))' names no user: "
                    + "use postgres://user:password@host:5432/database."
            )
        }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let name = String(components.path.drop(while: { $0 == "/" }))
        self.database = name.isEmpty ? nil : (name.removingPercentEncoding ?? name)
        self.sslMode = .prefer
        self.sslRootCertificate = nil
        self.connectTimeout = 10
        for item in components.queryItems ?? [] {
            switch item.name.lowercased() {
            case "sslmode", "tlsmode", "ssl":
                guard let value = item.value?.lowercased(), let mode = SSLMode(rawValue: value) else {
                    throw CRMError.configuration(
                        "Unknown sslmode '\(item.value ?? "")': use disable, prefer, require, verify-ca or verify-full."
                    )
                }
                sslMode = mode
            case "sslrootcert":
                sslRootCertificate = item.value
            case "connect_timeout":
                guard let seconds = item.value.flatMap(Int.init), seconds > 0, seconds <= 3_600 else {
                    throw CRMError.configuration("connect_timeout '\(item.value ?? "")' is not a number of seconds (1–3600).")
                }
                connectTimeout = Double(max(2, seconds))
            default:
                continue  // other libpq parameters (application_name…) are accepted and ignored
            }
        }
    }

    /// The URL as a person may see it: the password replaced by ****.
    package var redactedURL: String {
        var text = "postgres://\(username)\(password == nil ? "" : ":****")@"
        text += host.contains(":") ? "[\(host)]" : host
        text += ":\(port)"
        if let database { text += "/\(database)" }
        return text
    }
}
