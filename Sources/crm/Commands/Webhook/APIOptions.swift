import ArgumentParser
import CRMCore
import CRMServer
import Foundation

/// `crm webhook serve`'s HTTP API options: off unless --enable-api (or CRM_ENABLE_API=1), and
/// then JWT_ACCESS_SECRET is required.
struct APIOptions: ParsableArguments {
    @Flag(help: "Serve the HTTP API (/admin/login, /messages) beside the webhooks (default: CRM_ENABLE_API=1); needs JWT_ACCESS_SECRET.")
    var enableAPI = false

    @Option(help: ArgumentHelp(
        "How long an access token lasts: 90s, 15m, 1h (default: CRM_ACCESS_TOKEN_TTL, else 15m).", valueName: "duration"))
    var accessTokenTTL: String?

    @Option(help: ArgumentHelp(
        "How long a refresh token lasts unused: 12h, 30d (default: CRM_REFRESH_TOKEN_TTL, else 30d).", valueName: "duration"))
    var refreshTokenTTL: String?

    @Option(help: ArgumentHelp(
        "Login attempts per minute from one client address, and for one email (default: CRM_LOGIN_RATE_LIMIT, else 5).",
        valueName: "count"))
    var loginRateLimit: Int?

    @Option(help: ArgumentHelp(
        "API requests per minute for one signed-in user, then 429 (default: CRM_API_RATE_LIMIT, else 600).", valueName: "count"))
    var apiRateLimit: Int?

    @Option(help: ArgumentHelp(
        "Browser origins allowed to call the API, comma-separated scheme://host[:port] or * (default: CORS_ORIGINS, else none).",
        valueName: "origins"))
    var corsOrigins: String?

    @Option(help: ArgumentHelp(
        "How often GET /events reads the changes without a change notice: 2s, 1m (default: CRM_EVENTS_POLL_INTERVAL, else 5s on PostgreSQL, whose notices cover every process, 0.5s on SQLite).",
        valueName: "duration"))
    var eventsPollInterval: String?

    static let enableVariable = "CRM_ENABLE_API"

    func validate() throws {
        if let loginRateLimit, !(1...10_000).contains(loginRateLimit) {
            throw ValidationError("--login-rate-limit must be between 1 and 10000 attempts per minute.")
        }
        if let apiRateLimit, !(1...1_000_000).contains(apiRateLimit) {
            throw ValidationError("--api-rate-limit must be between 1 and 1000000 requests per minute.")
        }
    }

    /// The API's configuration when it is enabled, `nil` otherwise. Throws a configuration error
    /// (exit 78) for a missing or short JWT_ACCESS_SECRET or a malformed setting.
    func configuration(environment: [String: String]) throws -> APIConfiguration? {
        let enabled = enableAPI || ["1", "true", "yes", "on"].contains(environment[Self.enableVariable]?.lowercased() ?? "")
        guard enabled else { return nil }
        let access = try Self.seconds(accessTokenTTL, variable: "CRM_ACCESS_TOKEN_TTL", option: "--access-token-ttl", environment) ?? 15 * 60
        let refresh = try Self.seconds(refreshTokenTTL, variable: "CRM_REFRESH_TOKEN_TTL", option: "--refresh-token-ttl", environment)
            ?? 30 * 86_400
        let attempts = try loginRateLimit
            ?? Self.count(environment["CRM_LOGIN_RATE_LIMIT"], variable: "CRM_LOGIN_RATE_LIMIT", range: 1...10_000, of: "attempts")
            ?? 5
        let requests = try apiRateLimit
            ?? Self.count(environment["CRM_API_RATE_LIMIT"], variable: "CRM_API_RATE_LIMIT", range: 1...1_000_000, of: "requests")
            ?? 600
        let origins = try AllowedOrigins(parsing: corsOrigins ?? environment[AllowedOrigins.variable] ?? "")
        let poll = try Self.seconds(eventsPollInterval, variable: "CRM_EVENTS_POLL_INTERVAL", option: "--events-poll-interval", environment)
        guard refresh > access else {
            throw CRMError.configuration("The refresh token must outlive the access token: raise --refresh-token-ttl or lower --access-token-ttl.")
        }
        var configuration = try APIConfiguration(
            accessSecret: environment[APIConfiguration.secretVariable], accessTokenLifetime: access, refreshTokenLifetime: refresh,
            loginAttemptsPerMinute: attempts, requestsPerUserPerMinute: requests, allowedOrigins: origins)
        configuration.eventsPollInterval = poll
        return configuration
    }

    /// A per-minute count from the environment; `nil` when unset.
    private static func count(_ text: String?, variable: String, range: ClosedRange<Int>, of what: String) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw CRMError.configuration(
                "\(variable) '\(text.prefix(20))' is not a number of \(what) per minute (\(range.lowerBound)–\(range.upperBound)).")
        }
        return value
    }

    /// The option's duration, else the variable's, else `nil`.
    private static func seconds(_ option: String?, variable: String, option name: String, _ environment: [String: String]) throws
        -> TimeInterval?
    {
        if let option { return try DurationText.seconds(option, option: name) }
        guard let text = environment[variable], !text.isEmpty else { return nil }
        do {
            return try DurationText.seconds(text, option: variable)
        } catch let error as CRMError {
            throw CRMError.configuration(error.message)
        }
    }
}
