import Foundation
import Synchronization

/// Tells whoever follows the data live (the listener's `GET /events` hub) that a write was
/// committed: observers in this process at once, and, on PostgreSQL, every process sharing the
/// database with `NOTIFY crm_live_events` (see `PostgresChangeListener`).
///
/// The NOTIFY is its own statement after the commit, never part of the write: PostgreSQL
/// serializes the commits of transactions that notify on one database-wide lock, which would
/// cost every webhook its concurrency. Notices are rate-limited to one per `minimumGap` (a burst
/// of commits gives one at once and one at its end), and carry no data: followers read the
/// changes from the tables.
final class ChangeAnnouncer: Sendable {
    static let channel = "crm_live_events"
    static let minimumGap: Duration = .milliseconds(20)

    /// Sends one notice to the other processes; `nil` on SQLite, where there is none to reach.
    private let notifyOthers: (@Sendable () async -> Void)?

    private struct State {
        var observers: [UUID: AsyncStream<Void>.Continuation] = [:]
        var sending: Task<Void, Never>?
        var pending = false
        var lastSent: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    init(notifyOthers: (@Sendable () async -> Void)?) {
        self.notifyOthers = notifyOthers
    }

    /// After a write transaction committed.
    func committed() {
        let observers = state.withLock { Array($0.observers.values) }
        for observer in observers { observer.yield() }
        guard let notifyOthers else { return }
        state.withLock { state in
            if state.sending != nil {
                state.pending = true
            } else {
                state.sending = Task { await self.send(notifyOthers) }
            }
        }
    }

    /// Registers an in-process observer until its stream ends.
    func observe(_ continuation: AsyncStream<Void>.Continuation) {
        let id = UUID()
        state.withLock { $0.observers[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.observers.removeValue(forKey: id) }
        }
    }

    /// Waits for the notice in flight, if any (before the connection closes: a command's last
    /// write must still reach the listeners).
    func flush() async {
        while let sending = state.withLock({ $0.sending }) { await sending.value }
    }

    /// Ends the observers' streams (the database is closing).
    func finish() {
        let observers = state.withLock { state in
            defer { state.observers = [:] }
            return Array(state.observers.values)
        }
        for observer in observers { observer.finish() }
    }

    private func send(_ notifyOthers: @Sendable () async -> Void) async {
        repeat {
            if let last = state.withLock({ $0.lastSent }) {
                let wait = Self.minimumGap - (ContinuousClock.now - last)
                if wait > .zero { try? await Task.sleep(for: wait) }
            }
            state.withLock { state in
                state.pending = false
                state.lastSent = .now
            }
            await notifyOthers()
        } while state.withLock({ state in
            if state.pending { return true }
            state.sending = nil
            return false
        })
    }
}
