import Synchronization
import Testing

@testable import CRMCore

@Suite("Provider call permits")
struct ProviderCallPermitsTests {
    /// What the waves did, in order.
    final class Log: Sendable {
        private let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    /// Yields until `count` waves wait.
    func waitUntil(_ permits: ProviderCallPermits, hasWaiting count: Int) async {
        while permits.waitingCount < count { await Task.yield() }
    }

    @Test("a wave waits while the permits it needs are taken, and goes once they are given back")
    func waits() async {
        let permits = ProviderCallPermits(3)
        await permits.acquire(3)
        let log = Log()
        let waiting = Task {
            await permits.acquire(2)
            log.add("through")
        }
        await waitUntil(permits, hasWaiting: 1)
        #expect(log.all.isEmpty, "no permit was free")
        permits.release(3)
        await waiting.value
        #expect(log.all == ["through"] && permits.waitingCount == 0)
        // One left: a wave of one goes at once; a wave larger than all the permits takes them all.
        await permits.acquire(1)
        permits.release(1)
        permits.release(2)
        await permits.acquire(10)
        permits.release(10)
    }

    @Test("first come, first served: a large wave is not overtaken by a small one")
    func order() async {
        let permits = ProviderCallPermits(2)
        await permits.acquire(2)
        let log = Log()
        let large = Task {
            await permits.acquire(2)
            log.add("large")
            permits.release(2)
        }
        await waitUntil(permits, hasWaiting: 1)
        let small = Task {
            await permits.acquire(1)
            log.add("small")
            permits.release(1)
        }
        await waitUntil(permits, hasWaiting: 2)
        permits.release(1)
        #expect(permits.waitingCount == 2, "one permit free: the large wave waits, and the small one behind it")
        permits.release(1)
        await large.value
        await small.value
        #expect(log.all == ["large", "small"])
    }
}
