import SQLKit

/// An open database: where the store's SQL runs. One implementation per dialect.
package protocol DatabaseDriver: Sendable {
    var dialect: SQLDialectName { get }
    /// Runs statements outside a transaction (single reads).
    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs statements in one transaction that takes the write lock up front, committed when `body` returns.
    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    func close() async
}

/// Runs an operation, failing with `onTimeout` when it takes longer than `seconds`.
func withTimeout<T: Sendable>(
    seconds: Double, onTimeout: @escaping @Sendable () -> any Error,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw onTimeout()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw onTimeout() }
        return first
    }
}
