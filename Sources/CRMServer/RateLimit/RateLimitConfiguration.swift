/// How fast one key (a client address, a unit) may send requests: a token bucket holding at
/// most `burst` tokens, refilled at `requestsPerSecond`; each request takes one token.
package struct RateLimitConfiguration: Sendable, Hashable {
    /// Sustained rate, tokens added per second.
    package var requestsPerSecond: Double
    /// Bucket capacity: how many requests may arrive at once after a quiet period.
    package var burst: Int
    /// The most keys tracked at once. Past it, idle (full) buckets are dropped first, then the
    /// least recently used half; a dropped key starts again with a full bucket.
    package var maxKeys: Int

    /// - Precondition: `requestsPerSecond > 0`, `burst >= 1`, `maxKeys >= 1`. Validate
    ///   user-supplied values before building one.
    package init(requestsPerSecond: Double, burst: Int, maxKeys: Int = 10_000) {
        precondition(requestsPerSecond > 0 && requestsPerSecond.isFinite, "requestsPerSecond must be positive")
        precondition(burst >= 1, "burst must be at least 1")
        precondition(maxKeys >= 1, "maxKeys must be at least 1")
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
        self.maxKeys = maxKeys
    }

    /// How long an empty bucket takes to fill up again; a bucket idle for this long is full,
    /// so forgetting it changes nothing.
    package var refillDuration: Duration {
        .seconds(Double(burst) / requestsPerSecond)
    }
}
