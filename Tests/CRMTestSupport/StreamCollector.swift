import Synchronization

/// Follows an async stream on a task of its own and keeps what it yielded, so that a test can
/// wait, polling every 20 ms up to a deadline, for a condition on everything received so far.
package final class StreamCollector<Element: Sendable>: Sendable {
    private let elements = Mutex<[Element]>([])
    private let ended = Mutex(false)
    private let following = Mutex<Task<Void, Never>?>(nil)

    /// Keeps every element of `stream`.
    package convenience init(_ stream: AsyncStream<Element>) {
        self.init()
        follow(stream) { [self] element in elements.withLock { $0.append(element) } }
    }

    /// Keeps the elements of every batch `stream` yields, in order.
    package convenience init(batches stream: AsyncStream<[Element]>) {
        self.init()
        follow(stream) { [self] batch in elements.withLock { $0 += batch } }
    }

    private init() {}

    private func follow<Yielded: Sendable>(_ stream: AsyncStream<Yielded>, keep: @escaping @Sendable (Yielded) -> Void) {
        let task = Task { [self] in
            for await value in stream { keep(value) }
            ended.withLock { $0 = true }
        }
        following.withLock { $0 = task }
    }

    /// Everything received so far.
    package var all: [Element] { elements.withLock { $0 } }
    /// Whether the stream finished.
    package var hasEnded: Bool { ended.withLock { $0 } }

    /// Whether `condition` holds for everything received, within `seconds`.
    package func until(within seconds: Double = 30, _ condition: ([Element]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition(all), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return condition(all)
    }

    /// Stops following (the stream's producer sees its consumer go).
    package func stop() { following.withLock { $0?.cancel() } }
}
