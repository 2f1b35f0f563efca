/// Lets one load-heavy end-to-end test (thousands of sends or webhooks, several `crm` processes)
/// run at a time. swift-testing runs every suite at once; on a 2-core machine two such tests
/// together starve everything else, and tests fail on timeouts that say nothing about crm.
package actor HeavyTestGate {
    package static let shared = HeavyTestGate()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` once no other heavy test runs.
    package static func run<T>(_ body: () async throws -> T) async throws -> T {
        await shared.acquire()
        do {
            let result = try await body()
            await shared.release()
            return result
        } catch {
            await shared.release()
            throw error
        }
    }

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
