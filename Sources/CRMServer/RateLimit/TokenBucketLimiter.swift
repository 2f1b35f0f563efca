import NIOConcurrencyHelpers

/// Token-bucket rate limits for many keys (one limiter per scope: client addresses, units).
///
/// The caller passes the current instant, so tests drive time by hand. Memory is bounded by
/// `RateLimitConfiguration.maxKeys`: a flood of distinct addresses evicts buckets instead of
/// growing the table. Eviction fails open (an evicted key gets a fresh burst) because refusing
/// every new client while the table is full would let a flood lock everyone out.
package final class TokenBucketLimiter: Sendable {
    package let configuration: RateLimitConfiguration
    private let buckets: NIOLockedValueBox<[String: TokenBucket]>

    package init(_ configuration: RateLimitConfiguration) {
        self.configuration = configuration
        buckets = NIOLockedValueBox([:])
    }

    /// Takes one token from `key`'s bucket.
    package func take(_ key: String, now: ContinuousClock.Instant) -> RateLimitDecision {
        let configuration = configuration
        return buckets.withLockedValue { buckets in
            if var bucket = buckets[key] {
                let decision = bucket.take(now: now, configuration: configuration)
                buckets[key] = bucket
                return decision
            }
            if buckets.count >= configuration.maxKeys {
                Self.evict(from: &buckets, now: now, configuration: configuration)
            }
            var bucket = TokenBucket(capacity: configuration.burst, now: now)
            let decision = bucket.take(now: now, configuration: configuration)
            buckets[key] = bucket
            return decision
        }
    }

    /// The number of keys tracked (for the `crm_rate_limiter_keys` gauge).
    package var keyCount: Int {
        buckets.withLockedValue(\.count)
    }

    /// Forgets buckets that have refilled completely; the listener may call it periodically.
    /// Returns how many were removed.
    @discardableResult
    package func pruneIdle(now: ContinuousClock.Instant) -> Int {
        let configuration = configuration
        return buckets.withLockedValue { buckets in
            let before = buckets.count
            buckets = buckets.filter { !$0.value.isFull(at: now, configuration: configuration) }
            return before - buckets.count
        }
    }

    /// Makes room for at least one key: drops full buckets (lossless); if that frees less than
    /// a quarter of the table, also drops the least recently seen half. Each sweep frees many
    /// slots, so its O(n log n) cost is shared by the insertions that follow it.
    private static func evict(
        from buckets: inout [String: TokenBucket],
        now: ContinuousClock.Instant,
        configuration: RateLimitConfiguration
    ) {
        buckets = buckets.filter { !$0.value.isFull(at: now, configuration: configuration) }
        let target = configuration.maxKeys - max(1, configuration.maxKeys / 4)
        guard buckets.count > target else { return }
        let keep = configuration.maxKeys / 2
        let newest = buckets.sorted { $0.value.lastSeen > $1.value.lastSeen }.prefix(keep)
        buckets = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
    }
}
