import SQLKit

/// An open database: where the store's SQL runs. One implementation per dialect.
package protocol DatabaseDriver: Sendable {
    var dialect: SQLDialectName { get }
    /// Runs statements outside a transaction: reads, and single self-contained writes (one statement is atomic).
    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs statements in one transaction that takes the write lock up front, committed when `body` returns.
    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs one statement that writes several tables and is atomic on its own (a function call):
    /// without BEGIN and COMMIT where the database needs none, and announced as a transaction is.
    func writeStatement<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    func close() async
}

extension DatabaseDriver {
    /// In a transaction: SQLite's write lock must be taken up front in any case.
    func writeStatement<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await transaction(body)
    }
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

/// Statement running shared by the single-connection drivers (the caller holds the connection's lock).
enum SerializedConnection {
    static func read<T>(
        _ sql: any SQLDatabase, dialect: SQLDialectName, _ body: (any SQLDatabase) async throws -> T
    ) async throws -> T {
        do {
            return try await body(sql)
        } catch {
            throw DatabaseErrors.translate(error, dialect: dialect)
        }
    }

    /// BEGIN (in the dialect's form), body, COMMIT; ROLLBACK and a translated error on any failure.
    static func transaction<T>(
        _ sql: any SQLDatabase, begin: SQLQueryString, dialect: SQLDialectName,
        _ body: (any SQLDatabase) async throws -> T
    ) async throws -> T {
        do {
            try await sql.raw(begin).run()
        } catch {
            throw DatabaseErrors.translate(error, dialect: dialect)
        }
        do {
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw DatabaseErrors.translate(error, dialect: dialect)
        }
    }
}
