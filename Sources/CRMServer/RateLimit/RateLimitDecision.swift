/// The answer of `TokenBucketLimiter.take`.
package enum RateLimitDecision: Sendable, Hashable {
    /// Go ahead; `remaining` whole tokens are left (for an optional `RateLimit-Remaining` header).
    case allowed(remaining: Int)
    /// Answer 429; one token is available again after `retryAfter`.
    case limited(retryAfter: Duration)

    package var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }

    /// The `Retry-After` header value: whole seconds rounded up, at least 1 (a client told
    /// `0` would retry at once and be refused again). `nil` when allowed.
    package var retryAfterSeconds: Int? {
        guard case .limited(let retryAfter) = self else { return nil }
        let (seconds, attoseconds) = retryAfter.components
        let whole = attoseconds > 0 ? seconds + 1 : seconds
        return Int(max(1, whole))
    }
}
