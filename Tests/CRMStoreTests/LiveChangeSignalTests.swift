import CRMCore
import CRMTestSupport
import Foundation
import PostgresNIO
import Synchronization
import Testing

@testable import CRMStore

/// The database as the live feed's change signal: commits wake this process's followers, and on
/// PostgreSQL every process's, by a NOTIFY sent after the commit and rate-limited.
@Suite("Live change signal")
struct LiveChangeSignalTests {
    /// Counts the wakes of a change stream.
    final class Wakes: Sendable {
        private let count = Mutex(0)
        private let following = Mutex<Task<Void, Never>?>(nil)

        init(_ stream: AsyncStream<Void>) {
            let task = Task { [self] in
                for await _ in stream { count.withLock { $0 += 1 } }
            }
            following.withLock { $0 = task }
        }

        var seen: Int { count.withLock { $0 } }

        /// Whether at least `wakes` came within `seconds`.
        func reach(_ wakes: Int, within seconds: Double = 30) async -> Bool {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while seen < wakes, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            return seen >= wakes
        }

        func stop() { following.withLock { $0?.cancel() } }
    }

    @Test("a committed write wakes the database's own followers", arguments: TestDatabaseKind.stores)
    func ownWrites(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let wakes = Wakes(database.changes())
            defer { wakes.stop() }
            #expect(database.signalsOtherProcesses == (kind != .sqlite))
            // On PostgreSQL the LISTEN connection wakes once when it is up: wait for it first.
            let before = kind == .sqlite ? 0 : 1
            if kind != .sqlite { #expect(await wakes.reach(1)) }
            _ = try await database.store.listUnits()
            _ = try await UnitService(store: database.store).create(name: "Loja")
            #expect(await wakes.reach(before + 1), "no wake after a commit")
        }
    }

    @Test("PostgreSQL: a command's write wakes a listener's followers, even when the command closes at once",
          .enabled(if: TestDatabases.postgresServerURL != nil, "needs CRM_TEST_POSTGRES_URL (CI sets it)"))
    func otherProcessWrites() async throws {
        try await TestDatabases.with(.postgresPool) { listener in
            let wakes = Wakes(listener.changes())
            defer { wakes.stop() }
            #expect(await wakes.reach(1), "the LISTEN connection's first wake")
            let command = try await CRMDatabase.open(listener.location, logger: TestDatabases.logger)
            _ = try await UnitService(store: command.store).create(name: "Loja")
            await command.close()
            #expect(await wakes.reach(2), "the command's commit was not announced")
        }
    }

    @Test("PostgreSQL: a burst of commits sends a few notices, not one per commit",
          .enabled(if: TestDatabases.postgresServerURL != nil, "needs CRM_TEST_POSTGRES_URL (CI sets it)"))
    func noticesAreRateLimited() async throws {
        try await TestDatabases.with(.postgresPool) { database in
            guard case .postgres(let settings) = database.location else { return }
            let connection = try await PostgresDriver.openConnection(settings, logger: TestDatabases.logger)
            let counted = try await connection.listen(on: ChangeAnnouncer.channel) { notices in
                let started = ContinuousClock.now
                let service = UnitService(store: database.store)
                for index in 0..<60 { _ = try await service.create(name: "Loja \(index)") }
                let burst = ContinuousClock.now - started
                // Then a quiet moment for the trailing notice, and one marker to stop counting at.
                try await Task.sleep(for: .milliseconds(200))
                try await database.execute(unsafeSQL: "NOTIFY \(ChangeAnnouncer.channel), 'marker'")
                var count = 0
                for try await notice in notices {
                    if notice.payload == "marker" { break }
                    count += 1
                }
                return (count, burst)
            }
            _ = await Task { try? await connection.close() }.finishes(within: .seconds(5))
            let allowed = Int(counted.1 / ChangeAnnouncer.minimumGap) + 2
            #expect(counted.0 >= 1 && counted.0 <= min(allowed, 59), "\(counted.0) notices for 60 commits in \(counted.1)")
        }
    }
}
