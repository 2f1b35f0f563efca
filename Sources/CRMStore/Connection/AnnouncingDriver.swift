import SQLKit

/// A driver that tells `announcer` about every committed transaction. Every write that the
/// live feed shows (messages, connections, campaigns) runs in a transaction.
struct AnnouncingDriver: DatabaseDriver {
    let base: any DatabaseDriver
    let announcer: ChangeAnnouncer

    var dialect: SQLDialectName { base.dialect }

    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await base.read(body)
    }

    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let result = try await base.transaction(body)
        announcer.committed()
        return result
    }

    func writeStatement<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let result = try await base.writeStatement(body)
        announcer.committed()
        return result
    }

    func close() async {
        await announcer.flush()
        announcer.finish()
        await base.close()
    }
}
