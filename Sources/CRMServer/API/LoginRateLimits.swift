import Foundation

/// Login attempts per client address and per email (5 a minute by default, then 429 with
/// Retry-After): a password guesser is slowed down whether it tries many passwords for one
/// email from many addresses, or many emails from one address. Every attempt counts, right or
/// wrong, before the password is checked, so a flood costs no bcrypt work.
struct LoginRateLimits: Sendable {
    let perClient: TokenBucketLimiter
    let perEmail: TokenBucketLimiter

    init(attemptsPerMinute: Int) {
        let configuration = RateLimitConfiguration(requestsPerSecond: Double(attemptsPerMinute) / 60, burst: attemptsPerMinute)
        perClient = TokenBucketLimiter(configuration)
        perEmail = TokenBucketLimiter(configuration)
    }

    /// The 429 to answer, or `nil` to go on. An address over its limit spends none of the
    /// email's attempts, so that one host cannot lock every account out.
    func check(client: String, email: String, metrics: MetricsRegistry) -> APIError? {
        let now = ContinuousClock.now
        for (scope, limiter, key) in [("login_client", perClient, client), ("login_email", perEmail, email.lowercased())] {
            if let seconds = limiter.take(key, now: now).retryAfterSeconds {
                metrics.increment(CRMMetrics.httpRateLimited, labels: ["scope": scope])
                return .rateLimited(retryAfter: seconds)
            }
        }
        return nil
    }
}
