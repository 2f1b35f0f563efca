import Synchronization

extension Task where Success == Void, Failure == Never {
    /// Waits for the task up to `limit`; true when it finished, false when the limit came first
    /// (the task goes on by itself). A close that never ends must not keep a process from
    /// stopping, nor a test run from finishing.
    func finishes(within limit: Duration) async -> Bool {
        let once = ResumeOnce()
        let task = self
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let timer = Task<Void, Never> {
                try? await Task<Never, Never>.sleep(for: limit)
                if once.claim() { continuation.resume(returning: false) }
            }
            Task<Void, Never> {
                await task.value
                timer.cancel()
                if once.claim() { continuation.resume(returning: true) }
            }
        }
    }
}

/// The first caller of `claim` gets true, every later one false.
private final class ResumeOnce: Sendable {
    private let claimed = Mutex(false)

    func claim() -> Bool {
        claimed.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}
