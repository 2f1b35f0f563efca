import Foundation
import HTTPTypes
import Hummingbird

/// The listener's two token buckets: per client address (a flood from one host) and per webhook
/// URL, i.e. per unit (one unit's burst must not starve the others). Over the limit: 429 with
/// Retry-After, which providers honour by retrying later.
package struct ListenerRateLimits: Sendable {
    let perClient: TokenBucketLimiter
    let perUnit: TokenBucketLimiter

    package init(perClient: RateLimitConfiguration, perUnit: RateLimitConfiguration) {
        self.perClient = TokenBucketLimiter(perClient)
        self.perUnit = TokenBucketLimiter(perUnit)
    }

    /// Forgets buckets that have refilled (nothing changes for their keys) and sets the
    /// `crm_rate_limiter_keys` gauge of each scope: called when /metrics is scraped.
    func report(to metrics: MetricsRegistry) {
        let now = ContinuousClock.now
        for (scope, limiter) in [("client", perClient), ("unit", perUnit)] {
            limiter.pruneIdle(now: now)
            metrics.set(CRMMetrics.rateLimiterKeys, to: Double(limiter.keyCount), labels: ["scope": scope])
        }
    }

    /// The 429 to answer, or `nil` to go on.
    func check(client: String, unitKey: String, metrics: MetricsRegistry) -> Response? {
        let now = ContinuousClock.now
        for (scope, limiter, key) in [("client", perClient, client), ("unit", perUnit, unitKey)] {
            let decision = limiter.take(key, now: now)
            if let seconds = decision.retryAfterSeconds {
                metrics.increment(CRMMetrics.httpRateLimited, labels: ["scope": scope])
                var response = Response.json(["error": "too many requests: retry in \(seconds) s"], status: .tooManyRequests)
                response.headers[.retryAfter] = "\(seconds)"
                return response
            }
        }
        return nil
    }
}
