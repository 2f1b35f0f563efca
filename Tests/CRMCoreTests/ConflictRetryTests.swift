@testable import CRMCore
import Synchronization
import Testing

@Suite("Transactions aborted by a conflict run again")
struct ConflictRetryTests {
    /// Counts the runs of a body that fails its first `failures` runs with `error`.
    final class FlakyBody: Sendable {
        let runs = Mutex(0)
        let failures: Int
        let error: CRMError
        init(failures: Int, error: CRMError = .transactionConflict) { (self.failures, self.error) = (failures, error) }
        func callAsFunction() throws -> String {
            let run = runs.withLock { $0 += 1; return $0 }
            if run <= failures { throw error }
            return "committed on run \(run)"
        }
    }

    @Test("two conflicts, then it commits on the third run")
    func succeedsOnTheThirdRun() async throws {
        let body = FlakyBody(failures: 2)
        let pauses = Mutex<[Int]>([])
        let result = try await ConflictRetry.run(pause: { attempt in pauses.withLock { $0.append(attempt) } }) { try body() }
        #expect(result == "committed on run 3")
        #expect(pauses.withLock { $0 } == [1, 2])
    }

    @Test("three conflicts: the third error goes up, no fourth run")
    func givesUpAfterThreeRuns() async throws {
        let body = FlakyBody(failures: 5)
        await #expect(throws: CRMError.transactionConflict) {
            try await ConflictRetry.run(pause: { _ in }) { try body() }
        }
        #expect(body.runs.withLock { $0 } == 3)
    }

    @Test("any other error is not retried")
    func otherErrorsGoUpAtOnce() async throws {
        let body = FlakyBody(failures: 1, error: .unavailable("The connection to PostgreSQL was lost: check the server and run again."))
        await #expect(throws: CRMError.self) { try await ConflictRetry.run(pause: { _ in }) { try body() } }
        #expect(body.runs.withLock { $0 } == 1)
    }
}
