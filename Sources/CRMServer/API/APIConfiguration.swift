import CRMCore
import Foundation

/// How the HTTP API signs its tokens and limits logins (`crm webhook serve --enable-api`).
package struct APIConfiguration: Sendable {
    /// The environment variable holding the HS256 key of access tokens.
    package static let secretVariable = "JWT_ACCESS_SECRET"
    package static let minimumSecretBytes = 32

    /// The HS256 key (at least 32 bytes).
    package var accessSecret: String
    package var accessTokenLifetime: TimeInterval
    package var refreshTokenLifetime: TimeInterval
    /// Login attempts per minute from one client address, and for one email.
    package var loginAttemptsPerMinute: Int
    /// Largest JSON body the API reads; larger ones get 413.
    package var maxBodyBytes: Int
    /// API requests per minute for one signed-in user (bursts up to a minute's worth), then 429.
    package var requestsPerUserPerMinute: Int
    /// Browser origins allowed to call the API (CORS); none by default.
    package var allowedOrigins: AllowedOrigins
    /// How often `GET /events` reads the changes when no change signal came; `nil`: the hub's
    /// default for the database (`LiveEventHub.defaultPollInterval`).
    package var eventsPollInterval: TimeInterval?

    /// Throws a configuration error, saying what to do, for a missing or short secret.
    package init(
        accessSecret: String?, accessTokenLifetime: TimeInterval = 15 * 60, refreshTokenLifetime: TimeInterval = 30 * 86_400,
        loginAttemptsPerMinute: Int = 5, maxBodyBytes: Int = 64 * 1024, requestsPerUserPerMinute: Int = 600,
        allowedOrigins: AllowedOrigins = .none
    ) throws {
        guard let accessSecret, !accessSecret.isEmpty else {
            throw CRMError.configuration(
                "The HTTP API needs \(Self.secretVariable), the key that signs access tokens: set it to at least "
                    + "\(Self.minimumSecretBytes) random bytes (e.g. `openssl rand -base64 48`), or leave out --enable-api.")
        }
        guard accessSecret.utf8.count >= Self.minimumSecretBytes else {
            throw CRMError.configuration(
                "\(Self.secretVariable) has \(accessSecret.utf8.count) bytes; the HTTP API needs at least \(Self.minimumSecretBytes) "
                    + "(e.g. `openssl rand -base64 48`).")
        }
        self.accessSecret = accessSecret
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.loginAttemptsPerMinute = max(1, loginAttemptsPerMinute)
        self.maxBodyBytes = maxBodyBytes
        self.requestsPerUserPerMinute = max(1, requestsPerUserPerMinute)
        self.allowedOrigins = allowedOrigins
    }
}
