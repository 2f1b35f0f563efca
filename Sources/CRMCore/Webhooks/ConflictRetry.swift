/// Runs a database transaction again when the database aborted it for conflicting with another
/// (PostgreSQL's deadlock or serialization failure, `CRMError.transactionConflict`): the other
/// transaction has committed or rolled back by then, and a second try usually passes. Only for
/// bodies that are safe to run twice, because all they do is in the rolled-back transaction.
package enum ConflictRetry {
    /// At most `attempts` runs; a short random pause before each retry, so that the two
    /// transactions that met do not meet again at once.
    package static func run<T>(
        attempts: Int = 3, pause: @Sendable (Int) async -> Void = ConflictRetry.defaultPause,
        _ body: () async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as CRMError where error == .transactionConflict && attempt < attempts {
                await pause(attempt)
                attempt += 1
            }
        }
    }

    /// 5–25 ms after the first conflict, 10–50 ms after the second.
    package static let defaultPause: @Sendable (Int) async -> Void = { attempt in
        try? await Task.sleep(for: .milliseconds(Int.random(in: 5...25) * attempt))
    }
}
