import CRMCore
import Logging

/// Exponential backoff with jitter for idempotent provider calls: attempt n waits
/// `min(maxDelay, initialDelay × 2^(n-1))`, scaled by a random factor in `1-jitter … 1`.
package struct ProviderRetryPolicy: Sendable, Hashable {
    /// Attempts in all (1: no retry).
    package var maxAttempts: Int
    package var initialDelay: Duration
    package var maxDelay: Duration
    /// 0…1: the share of each delay that is random, so that clients do not retry in lockstep.
    package var jitter: Double

    package init(maxAttempts: Int = 3, initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(5), jitter: Double = 0.5) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.jitter = min(max(jitter, 0), 1)
    }

    /// No retry at all.
    package static let none = ProviderRetryPolicy(maxAttempts: 1)

    /// The pause before attempt `attempt + 1`, after `attempt` failures (1-based).
    package func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        var base = initialDelay * (1 << exponent)
        if base > maxDelay { base = maxDelay }
        let factor = jitter == 0 ? 1 : Double.random(in: (1 - jitter)...1)
        return base * factor
    }

    /// Runs `operation` until it succeeds, fails with an error that is not retryable, or the
    /// attempts run out (then the last error). `CancellationError` ends it at once.
    package func run<T: Sendable>(
        _ label: String, logger: Logger? = nil, _ operation: () async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch let error as ProviderError where error.isRetryable && attempt < maxAttempts {
                let pause = delay(afterAttempt: attempt)
                logger?.debug("provider call failed; retrying", metadata: [
                    "call": "\(label)", "attempt": "\(attempt)", "reason": "\(error.reason.rawValue)",
                    "status": "\(error.status.map(String.init) ?? "-")", "retryInMs": "\(pause.providerMilliseconds)",
                ])
                try await Task.sleep(for: pause)
                attempt += 1
            }
        }
    }
}

extension Duration {
    var providerMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
