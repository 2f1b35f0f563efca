import Synchronization

/// The provider calls a dispatcher may have in flight, shared by its waves: a wave takes one
/// permit per recipient before its calls and gives them back after, first come first served.
/// With no rate limit a dispatcher keeps a second wave ready (claimed, attempts committed) while
/// the first is at the provider, so that the database work of one overlaps the calls of the other.
final class ProviderCallPermits: Sendable {
    private struct State {
        var available: Int
        var waiting: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let total: Int
    private let state: Mutex<State>

    init(_ total: Int) {
        self.total = max(1, total)
        state = Mutex(State(available: max(1, total)))
    }

    /// Waits until `count` permits (at most all of them) are free, and takes them.
    func acquire(_ count: Int) async {
        let count = min(max(0, count), total)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                guard state.waiting.isEmpty, state.available >= count else {
                    state.waiting.append((count, continuation))
                    return false
                }
                state.available -= count
                return true
            }
            if now { continuation.resume() }
        }
    }

    /// Waves waiting for permits (tests).
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Gives back what `acquire(count)` took, and wakes the waves it lets through.
    func release(_ count: Int) {
        let count = min(max(0, count), total)
        let woken = state.withLock { state in
            state.available += count
            var woken: [CheckedContinuation<Void, Never>] = []
            while let first = state.waiting.first, first.count <= state.available {
                state.available -= first.count
                woken.append(first.continuation)
                state.waiting.removeFirst()
            }
            return woken
        }
        for continuation in woken { continuation.resume() }
    }
}
