import Foundation
import Logging

/// Groups the plain inbound-message webhooks that arrive together into batches for
/// `InboundBatchStore`: while a batch is being written, new arrivals wait, and the next batch
/// takes all of them (up to `maxBatch`). There is no timer: one webhook alone is written at once;
/// under load batches grow by themselves, and the database does a few statements per batch
/// instead of ten per webhook. Each caller gets its own result once its batch has committed.
package actor InboundBatcher {
    private let store: any InboundBatchStore
    private let maxBatch: Int
    private let maxConcurrentBatches: Int
    private var waiting: [(item: InboundWebhook, continuation: CheckedContinuation<InboundBatchResult, any Error>)] = []
    private var running = 0
    private let logger: Logger?
    private let slowBatch: Duration
    private let failureWarningInterval: Duration
    private var lastFailureWarning: ContinuousClock.Instant?
    private var failuresSinceWarning = 0

    /// `maxConcurrentBatches`: batches written at the same time (one per database connection used).
    /// One by default: a batch is one call on PostgreSQL (one transaction on SQLite, which has one
    /// writer anyway), and two at once made PostgreSQL's CPU per message 20-40 % higher (concurrent
    /// inserts at the same index ends, shared locks on the unit's row) for smaller batches:
    /// scripts/bench-listener.sh stored 5,200/s with one, 4,300-5,000/s with two, 4,000-4,300 with three.
    ///
    /// A batch that takes longer than `slowBatch` to store is logged as a warning on `logger`:
    /// every webhook in it waited that long, so it shows as a latency spike the database caused.
    /// A batch that fails is logged too, at most once per `failureWarningInterval`: its webhooks
    /// are then stored one by one, correctly but far more slowly, and nothing else would show why.
    package init(
        store: any InboundBatchStore, maxBatch: Int = 128, maxConcurrentBatches: Int = 1,
        logger: Logger? = nil, slowBatch: Duration = .milliseconds(250), failureWarningInterval: Duration = .seconds(60)
    ) {
        self.store = store
        self.logger = logger
        self.slowBatch = slowBatch
        self.failureWarningInterval = failureWarningInterval
        self.maxBatch = max(1, maxBatch)
        self.maxConcurrentBatches = max(1, maxConcurrentBatches)
    }

    /// Whether items should carry their body as a JSON string (`InboundWebhook.bodyJSON`).
    package nonisolated var takesBodiesAsJSON: Bool { store.takesBodiesAsJSON }

    /// Stores `item` with the others waiting now; returns when its batch has committed.
    package func submit(_ item: InboundWebhook) async throws -> InboundBatchResult {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((item, continuation))
            startBatchIfPossible()
        }
    }

    private func startBatchIfPossible() {
        guard running < maxConcurrentBatches, !waiting.isEmpty else { return }
        let batch = Array(waiting.prefix(maxBatch))
        waiting.removeFirst(batch.count)
        running += 1
        // High priority: the batch's steps between its statements must not queue behind the
        // requests' work (decoding, logging) on Swift's cooperative threads, or every webhook
        // waiting on the batch waits longer. SQLite (one writer): 4,762 -> 6,238 stored/s.
        Task(priority: .high) { await self.write(batch) }
    }

    private func write(_ batch: [(item: InboundWebhook, continuation: CheckedContinuation<InboundBatchResult, any Error>)]) async {
        let started = ContinuousClock.now
        defer { reportIfSlow(count: batch.count, took: ContinuousClock.now - started) }
        do {
            let results = try await store.storeInboundBatch(batch.map(\.item))
            guard results.count == batch.count else { throw CRMError(.internal, "The batch store answered for the wrong number of webhooks.") }
            for (entry, result) in zip(batch, results) { entry.continuation.resume(returning: result) }
        } catch {
            for entry in batch { entry.continuation.resume(throwing: error) }
            reportFailure(count: batch.count, error: error)
        }
        running -= 1
        startBatchIfPossible()
    }

    /// Names the error's type only: its text may hold SQL or a database address. One bad body fails
    /// its batch too (and is then stored as failed alone); every batch failing points at the
    /// database: a migration this crm does not expect, rights, a full disk.
    private func reportFailure(count: Int, error: any Error) {
        failuresSinceWarning += 1
        let now = ContinuousClock.now
        if let last = lastFailureWarning, now - last < failureWarningInterval { return }
        let failures = failuresSinceWarning
        (lastFailureWarning, failuresSinceWarning) = (now, 0)
        let kind = (error as? CRMError).map { "\($0.kind)" } ?? String(reflecting: type(of: error))
        logger?.warning(
            "A batch of \(count) inbound webhook\(count == 1 ? "" : "s") could not be stored (\(kind)); its webhooks were stored one by one instead. Failed batches since the last such warning: \(failures).",
            metadata: ["batch": "\(count)", "error": "\(kind)", "failed_batches": "\(failures)"]
        )
    }

    private func reportIfSlow(count: Int, took: Duration) {
        guard took > slowBatch, let logger else { return }
        let milliseconds = Int(took / .milliseconds(1))
        logger.warning(
            "Storing \(count) inbound webhook\(count == 1 ? "" : "s") took \(milliseconds) ms: the database answered slowly, and they waited that long.",
            metadata: ["batch": "\(count)", "ms": "\(milliseconds)"]
        )
    }
}
