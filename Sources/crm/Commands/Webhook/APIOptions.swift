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

    static let enableVariable = "CRM_ENABLE_API"

    func validate() throws {
        if let loginRateLimit, !(1...10_000).contains(loginRateLimit) {
            throw ValidationError("--login-rate-limit must be between 1 and 10000 attempts per minute.")
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
        var attempts = loginRateLimit ?? 5
        if loginRateLimit == nil, let text = environment["CRM_LOGIN_RATE_LIMIT"], !text.isEmpty {
            guard let value = Int(text), (1...10_000).contains(value) else {
                throw CRMError.configuration("CRM_LOGIN_RATE_LIMIT '\(text.prefix(20))' is not a number of attempts per minute (1–10000).")
            }
            attempts = value
        }
        guard refresh > access else {
            throw CRMError.configuration("The refresh token must outlive the access token: raise --refresh-token-ttl or lower --access-token-ttl.")
        }
        return try APIConfiguration(
            accessSecret: environment[APIConfiguration.secretVariable], accessTokenLifetime: access, refreshTokenLifetime: refresh,
            loginAttemptsPerMinute: attempts)
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
