import Testing

@testable import CRMStore

/// `CRMDatabase.close` waits for the driver through `finishes(within:)`: a close that never ends
/// must be given up on, one that ends must be waited for.
@Suite("Waiting for a task up to a limit")
struct TaskDeadlineTests {
    @Test("a task that ends is waited for; one that never ends is given up on at the limit")
    func endsOrGivesUp() async {
        let quick = Task<Void, Never> { try? await Task<Never, Never>.sleep(for: .milliseconds(50)) }
        #expect(await quick.finishes(within: .seconds(60)))

        let stuck = Task<Void, Never> { try? await Task<Never, Never>.sleep(for: .seconds(3_600)) }
        #expect(await !stuck.finishes(within: .milliseconds(200)))
        #expect(!stuck.isCancelled, "left to go on by itself")
        stuck.cancel()
    }
}
