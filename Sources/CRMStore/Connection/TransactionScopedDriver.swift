import SQLKit

/// A driver bound to one open transaction (`SQLStore.inIngestTransaction`): its reads and its
/// "transactions" run on that transaction's connection, inside it. Errors are translated here so
/// that the code inside sees the same `StoreError`s and `CRMError`s as outside; the transaction
/// that owns the connection rolls back when they propagate.
struct TransactionScopedDriver: DatabaseDriver {
    let dialect: SQLDialectName
    let sql: any SQLDatabase

    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await body(sql)
        } catch {
            throw DatabaseErrors.translate(error, dialect: dialect)
        }
    }

    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await read(body)
    }

    /// The connection belongs to the enclosing transaction's driver.
    func close() async {}
}
