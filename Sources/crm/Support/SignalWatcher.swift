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

    /// The watchers listening now, by signal: `crm console`, whose own dispatch source receives
    /// Ctrl-C (libdispatch gives a signal to one source), hands it to them with `deliver`.
    private static let active = NSLockedValue<[ObjectIdentifier: (signals: [Int32], notify: @Sendable (Int32) -> Void)]>([:])
    private let stopped = NSLockedValue(false)

    /// Gives `number` to every active watcher of it; false when none watches it.
    static func deliver(_ number: Int32) -> Bool {
        let watchers = active.withLock { $0.values.filter { $0.signals.contains(number) } }
        for watcher in watchers { watcher.notify(number) }
        return !watchers.isEmpty
    }

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
            // The dispatch source receives it instead of the default handler. A handler already there
            // is libdispatch's, for another source (`crm console`'s): replacing it would lose the signal.
            let previous = signal(number, SIG_IGN)
            if previous != nil { signal(number, previous) }
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
        let (flag, continuation) = (self.flag, self.continuation)
        Self.active.withLock {
            $0[ObjectIdentifier(self)] = (signals, { number in
                flag.set()
                continuation.yield(number)
            })
        }
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
        if !wasStopped { Self.active.withLock { $0[ObjectIdentifier(self)] = nil } }
        for source in sources { source.cancel() }
        continuation.finish()
    }
}
