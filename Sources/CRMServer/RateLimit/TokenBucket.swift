/// One key's bucket. Tokens are refilled lazily, from the time elapsed since the last request,
/// so an idle bucket costs nothing.
struct TokenBucket: Sendable, Hashable {
    private(set) var tokens: Double
    private(set) var lastSeen: ContinuousClock.Instant

    /// A full bucket.
    init(capacity: Int, now: ContinuousClock.Instant) {
        tokens = Double(capacity)
        lastSeen = now
    }

    /// Refills for the time since the last call, then takes one token if there is one;
    /// otherwise returns how long until there will be.
    mutating func take(now: ContinuousClock.Instant, configuration: RateLimitConfiguration) -> RateLimitDecision {
        refill(now: now, configuration: configuration)
        if tokens >= 1 {
            tokens -= 1
            return .allowed(remaining: Int(tokens))
        }
        return .limited(retryAfter: .seconds((1 - tokens) / configuration.requestsPerSecond))
    }

    /// Whether the bucket would be full at `now`, i.e. indistinguishable from a new one.
    func isFull(at now: ContinuousClock.Instant, configuration: RateLimitConfiguration) -> Bool {
        var copy = self
        copy.refill(now: now, configuration: configuration)
        return copy.tokens >= Double(configuration.burst)
    }

    private mutating func refill(now: ContinuousClock.Instant, configuration: RateLimitConfiguration) {
        // An instant earlier than the last one (callers racing to the lock) adds nothing.
        guard now > lastSeen else { return }
        let (seconds, attoseconds) = (now - lastSeen).components
        let elapsed = Double(seconds) + Double(attoseconds) / 1e18
        tokens = min(Double(configuration.burst), tokens + elapsed * configuration.requestsPerSecond)
        lastSeen = now
    }
}
