import Foundation

/// One provider call for a queued message whose lease the caller holds, and the record of what
/// came of it: the rule `crm send` and the listener's outbound worker share. A message gets
/// `maxAttempts` calls in all, counted in `retry_count` across processes. A failure that may pass
/// (timeout, 5xx or 429, refused connection, a garbled answer) schedules another call at
/// `next_attempt_at`, unless it was the last; any other (401, an invalid number…) fails the
/// message at once. The caller decides how to wait: `crm send` sleeps, the worker moves on and
/// claims the message again when it is due.
package struct OutboundDelivery: Sendable {
    package static let maxAttempts = 3
    /// How long one sender may hold a message before another may take it over (it crashed).
    package static let leaseSeconds: TimeInterval = 120

    let store: any OutboundStore
    let now: @Sendable () -> Date
    /// Pause after attempt n (1-based) before the next.
    let backoff: @Sendable (Int) -> Duration

    package init(
        store: any OutboundStore, now: @escaping @Sendable () -> Date = { Date() },
        backoff: @escaping @Sendable (Int) -> Duration = OutboundDelivery.defaultBackoff
    ) {
        self.store = store
        self.now = now
        self.backoff = backoff
    }

    /// 0.5 s, 1 s (× 0.5…1 jitter).
    package static func defaultBackoff(_ attempt: Int) -> Duration {
        .milliseconds(Int(500.0 * pow(2, Double(attempt - 1)) * Double.random(in: 0.5...1)))
    }

    /// What one call came to, as recorded.
    package enum Outcome: Sendable, Equatable {
        /// Accepted by the provider: the message is `sent`.
        case sent(externalId: String, attempts: Int)
        /// Failed in a way that may pass: still `queued`, due again after `after`; the lease is released.
        case retry(attempts: Int, after: Duration, reason: String)
        /// Failed for good: the message is `failed`.
        case failed(attempts: Int, error: CRMError)

        package var attempts: Int {
            switch self {
            case .sent(_, let attempts), .retry(let attempts, _, _), .failed(let attempts, _): attempts
            }
        }
    }

    /// Calls the provider once for `message` (whose `retryCount` counts the calls made so far) and
    /// records the outcome. Errors other than the provider's (the database) are thrown, with the
    /// lease left to expire: the message is then claimed and sent again.
    package func deliver(_ message: Message, to phone: String, connection: WhatsAppConnection, provider: any WhatsAppProvider)
        async throws -> Outcome
    {
        let attempts = message.retryCount + 1
        guard attempts <= Self.maxAttempts else {
            // A crash after the last call and before its outcome was recorded: nothing is left to try.
            let error = CRMError.unavailable("No attempt left after \(message.retryCount) provider calls.")
            try await store.recordFailed(id: message.id, attempts: message.retryCount, code: nil, error: error.message, at: now())
            return .failed(attempts: message.retryCount, error: error)
        }
        do {
            let externalId = try await provider.deliver(message, to: phone, instance: connection.instanceName)
            try await store.recordSent(id: message.id, externalId: externalId, attempts: attempts, at: now())
            return .sent(externalId: externalId, attempts: attempts)
        } catch let error as ProviderError {
            let date = now()
            if error.isRetryable && attempts < Self.maxAttempts {
                let pause = backoff(attempts)
                try await store.recordRetry(
                    id: message.id, attempts: attempts, error: error.message, nextAttemptAt: date.addingTimeInterval(pause.seconds), at: date)
                return .retry(attempts: attempts, after: pause, reason: error.message)
            }
            try await store.recordFailed(id: message.id, attempts: attempts, code: error.status.map(String.init), error: error.message, at: date)
            return .failed(attempts: attempts, error: error.error)
        }
    }
}

extension Duration {
    package var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
