import Foundation

/// Group commit for the outbound worker: the sends that finish while a transaction is being
/// written wait for the next one, and are all recorded in it. A caller still returns only once its
/// record is committed, so nothing changes for it but the cost: one commit (one WAL flush on
/// PostgreSQL, one write lock on SQLite) and three round trips fewer per message under load. With a
/// single send in flight, each record is its own transaction, as before.
actor SentRecordBatcher {
    private let store: any OutboundStore
    private let maxBatch: Int
    /// Transactions written at once: a slow commit does not hold the sends behind it (PostgreSQL's
    /// pool runs them side by side; SQLite's one connection takes them in turn).
    private let maxFlushes: Int
    private var waiting: [(record: SentRecord, done: CheckedContinuation<Void, any Error>)] = []
    private var flushes = 0

    init(store: any OutboundStore, maxBatch: Int = 64, maxFlushes: Int = 4) {
        self.store = store
        self.maxBatch = max(1, maxBatch)
        self.maxFlushes = max(1, maxFlushes)
    }

    /// Returns once `record` is committed (or throws why it could not be).
    func record(_ record: SentRecord) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            waiting.append((record, done))
            if flushes < maxFlushes {
                flushes += 1
                Task { await flush() }
            }
        }
    }

    /// Writes what waits, batch after batch, until nothing does.
    private func flush() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(maxBatch))
            waiting.removeFirst(batch.count)
            do {
                try await store.recordSent(batch.map(\.record))
                for item in batch { item.done.resume() }
            } catch {
                // One record the database refuses must not fail the others: each on its own.
                for item in batch {
                    do {
                        let record = item.record
                        try await store.recordSent(id: record.id, externalId: record.externalId, attempts: record.attempts, at: record.date)
                        item.done.resume()
                    } catch {
                        item.done.resume(throwing: error)
                    }
                }
            }
        }
        flushes -= 1
    }
}

/// The store as the worker's deliveries see it: the same, except that `recordSent` goes through
/// the group commit.
struct GroupCommitOutboundStore: OutboundStore {
    let base: any OutboundStore
    let batcher: SentRecordBatcher

    init(_ base: any OutboundStore) {
        self.base = base
        batcher = SentRecordBatcher(store: base)
    }

    func enqueueOutbound(_ request: OutboundRequest) async throws -> EnqueueResult { try await base.enqueueOutbound(request) }

    func claimOutbound(id: UUID, owner: String, until: Date, now: Date) async throws -> Bool {
        try await base.claimOutbound(id: id, owner: owner, until: until, now: now)
    }

    func recordSent(id: UUID, externalId: String, attempts: Int, at date: Date) async throws {
        try await batcher.record(SentRecord(id: id, externalId: externalId, attempts: attempts, date: date))
    }

    func recordSent(_ records: [SentRecord]) async throws { try await base.recordSent(records) }

    func recordRetry(id: UUID, attempts: Int, error: String, nextAttemptAt: Date, at date: Date) async throws {
        try await base.recordRetry(id: id, attempts: attempts, error: error, nextAttemptAt: nextAttemptAt, at: date)
    }

    func recordFailed(id: UUID, attempts: Int, code: String?, error: String, at date: Date) async throws {
        try await base.recordFailed(id: id, attempts: attempts, code: code, error: error, at: date)
    }

    func outboundMessage(id: UUID) async throws -> Message? { try await base.outboundMessage(id: id) }

    func outboundMessage(unitId: UUID, clientMessageId: String) async throws -> Message? {
        try await base.outboundMessage(unitId: unitId, clientMessageId: clientMessageId)
    }
}
