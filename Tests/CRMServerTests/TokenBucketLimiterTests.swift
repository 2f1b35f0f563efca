import CRMServer
import Testing

@Suite("Token bucket limiter")
struct TokenBucketLimiterTests {
    let t0 = ContinuousClock.now

    private func at(_ seconds: Double) -> ContinuousClock.Instant {
        t0.advanced(by: .seconds(seconds))
    }

    @Test("A burst passes, the next request is refused until a token refills")
    func burstThenRefusal() {
        let limiter = TokenBucketLimiter(RateLimitConfiguration(requestsPerSecond: 1, burst: 3))
        #expect(limiter.take("10.0.0.1", now: t0) == .allowed(remaining: 2))
        #expect(limiter.take("10.0.0.1", now: t0) == .allowed(remaining: 1))
        #expect(limiter.take("10.0.0.1", now: t0) == .allowed(remaining: 0))
        #expect(limiter.take("10.0.0.1", now: t0) == .limited(retryAfter: .seconds(1)))
        #expect(limiter.take("10.0.0.1", now: t0) == .limited(retryAfter: .seconds(1)))
    }

    @Test("Tokens refill at the configured rate and never beyond the burst")
    func refill() {
        let limiter = TokenBucketLimiter(RateLimitConfiguration(requestsPerSecond: 2, burst: 2))
        #expect(limiter.take("k", now: at(0)).isAllowed)
        #expect(limiter.take("k", now: at(0)).isAllowed)
        #expect(!limiter.take("k", now: at(0.25)).isAllowed)  // half a token
        #expect(limiter.take("k", now: at(0.5)).isAllowed)  // one token after 0.5 s at 2/s
        #expect(!limiter.take("k", now: at(0.5)).isAllowed)
        // A long quiet period refills to the burst, not more.
        let afterIdle = (0..<4).map { _ in limiter.take("k", now: at(60)).isAllowed }
        #expect(afterIdle == [true, true, false, false])
    }

    @Test("Retry-After is the time to the next token, in header form whole seconds rounded up, at least 1")
    func retryAfter() {
        let slow = TokenBucketLimiter(RateLimitConfiguration(requestsPerSecond: 0.5, burst: 1))
        #expect(slow.take("k", now: at(0)).isAllowed)
        let first = slow.take("k", now: at(0.5))
        #expect(first == .limited(retryAfter: .seconds(1.5)))
        #expect(first.retryAfterSeconds == 2)

        let fast = TokenBucketLimiter(RateLimitConfiguration(requestsPerSecond: 10, burst: 1))
        #expect(fast.take("k", now: at(0)).isAllowed)
        let refused = fast.take("k", now: at(0))
        guard case .limited(let wait) = refused else { Issue.record("not limited"); return }
        #expect(wait > .microseconds(99_999) && wait < .microseconds(100_001))
        #expect(refused.retryAfterSeconds == 1)
    }

    @Test("Header seconds", arguments: [
        (Duration.zero, 1), (.nanoseconds(1), 1), (.seconds(1), 1), (.seconds(2), 2), (.milliseconds(2001), 3),
    ])
    func headerSeconds(retryAfter: Duration, header: Int) {
        #expect(RateLimitDecision.limited(retryAfter: retryAfter).retryAfterSeconds == header)
        #expect(RateLimitDecision.allowed(remaining: 0).retryAfterSeconds == nil)
    }

    @Test("Keys have independent buckets")
    func independentKeys() {
        let limiter = TokenBucketLimiter(RateLimitConfiguration(requestsPerSecond: 1, burst: 1))
        #expect(limiter.take("unit-a", now: t0).isAllowed)
        #expect(!limiter.take("unit-a", now: t0).isAllowed)
        #expect(limiter.take("unit-b", now: t0).isAllowed)
        #expect(!limiter.take("unit-b", now: t0).isAllowed)
        #expect(limiter.keyCount == 2)
    }

    @Test("A flood of distinct keys never grows the table past maxKeys")
    func floodIsBounded() {
        let limiter = TokenBucketLimiter(RateLimitConfiguration(requestsPerSecond: 1, burst: 5, maxKeys: 100))
        var largest = 0
        for index in 0..<10_000 {
            #expect(limiter.take("203.0.113.\(index)", now: at(Double(index) / 1000)).isAllowed)
            largest = max(largest, limiter.keyCount)
        }
        #expect(largest == 100)
        #expect(limiter.keyCount <= 100)
    }

    @Test("At the cap, full buckets go first, then the least recently seen; recent limits survive")
    func evictionOrder() {
        let limiter = TokenBucketLimiter(RateLimitConfiguration(requestsPerSecond: 1, burst: 2, maxKeys: 4))
        _ = limiter.take("old-1", now: at(0))
        _ = limiter.take("old-2", now: at(0.01))
        _ = limiter.take("hot", now: at(0.1))
        _ = limiter.take("hot", now: at(0.11))
        #expect(!limiter.take("hot", now: at(0.12)).isAllowed)
        _ = limiter.take("recent", now: at(0.13))
        #expect(limiter.keyCount == 4)

        // No bucket is full yet, so the older half goes.
        #expect(limiter.take("new", now: at(0.2)).isAllowed)
        #expect(limiter.keyCount == 3)
        #expect(!limiter.take("hot", now: at(0.2)).isAllowed)
        // old-1 was forgotten: it starts again with a full bucket (one token was taken before).
        #expect(limiter.take("old-1", now: at(0.3)) == .allowed(remaining: 1))

        // Much later every bucket is full again: the sweep drops them all, losing nothing.
        #expect(limiter.take("late", now: at(100)).isAllowed)
        #expect(limiter.keyCount == 1)
    }

    @Test("pruneIdle forgets exactly the buckets that have refilled")
    func pruneIdle() {
        let limiter = TokenBucketLimiter(RateLimitConfiguration(requestsPerSecond: 1, burst: 2))
        _ = limiter.take("a", now: at(0))
        _ = limiter.take("b", now: at(0))
        _ = limiter.take("b", now: at(0))
        #expect(limiter.pruneIdle(now: at(0.5)) == 0)
        #expect(limiter.pruneIdle(now: at(1)) == 1)  // a: 1 + 1 token = full; b: 0 + 1 = not yet
        #expect(limiter.keyCount == 1)
        #expect(limiter.pruneIdle(now: at(2)) == 1)
        #expect(limiter.keyCount == 0)
    }
}
