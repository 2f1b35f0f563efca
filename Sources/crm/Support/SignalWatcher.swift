import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT/SIGTERM into an awaitable event, for long-running commands that stop cleanly
/// (close servers, finish work in flight) instead of being killed mid-way.
final class SignalWatcher: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let stream: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation
    private let flag = Flag()

    /// A value behind a lock.
    private final class NSLockedValue<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Value
        init(_ value: Value) { self.value = value }
        func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
    }

    /// Set from the signal queue, read by polling loops.
    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    /// How many watchers are listening now: `crm console` leaves Ctrl-C to a command that watches it.
    static var activeCount: Int { active.withLock { $0 } }
    private static let active = NSLockedValue(0)
    private let stopped = NSLockedValue(false)

    /// Whether a watched signal has arrived (for loops that poll rather than await `next()`).
    var hasSignalled: Bool { flag.isSet }

    /// Sleeps up to `duration` in short slices; `true` as soon as a signal has arrived.
    func sleep(for duration: Duration) async -> Bool {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            if hasSignalled { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return hasSignalled
    }

    init(signals: [Int32]) {
        (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        let queue = DispatchQueue(label: "crm.signals")
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)  // the dispatch source receives it instead of the default handler
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            let continuation = self.continuation
            let flag = self.flag
            source.setEventHandler {
                flag.set()
                continuation.yield(number)
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
        Self.active.withLock { $0 += 1 }
    }

    /// Waits for the next signal (or returns at once after `stop()`); the signal's number.
    @discardableResult
    func next() async -> Int32? {
        var iterator = stream.makeAsyncIterator()
        return await iterator.next()
    }

    /// A watcher dropped without `stop()` (its command threw) stops then.
    deinit { stop() }

    /// Stops watching; the signals get their default handlers back.
    func stop() {
        let wasStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        if !wasStopped { Self.active.withLock { $0 -= 1 } }
        for source in sources { source.cancel() }
        continuation.finish()
    }
}
