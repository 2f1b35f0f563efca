import CRMCore
import CRMTestSupport
import Foundation
import Synchronization
import Testing

@testable import CRMStore

/// The database as the live feed's change signal: commits wake this process's followers, and on
/// PostgreSQL every process's, by a NOTIFY sent after the commit and rate-limited.
@Suite("Live change signal")
struct LiveChangeSignalTests {
    @Test("a committed write wakes the database's own followers", arguments: TestDatabaseKind.stores)
    func ownWrites(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let wakes = StreamCollector(database.changes())
            defer { wakes.stop() }
            #expect(database.signalsOtherProcesses == (kind != .sqlite))
            // On PostgreSQL the LISTEN connection wakes once when it is up: wait for it first.
            let before = kind == .sqlite ? 0 : 1
            if kind != .sqlite { #expect(await wakes.until { $0.count >= 1 }) }
            _ = try await database.store.listUnits()
            _ = try await UnitService(store: database.store).create(name: "Loja")
            #expect(await wakes.until { $0.count >= before + 1 }, "no wake after a commit")
        }
    }

    @Test("PostgreSQL: a command's write wakes a listener's followers, even when the command closes at once",
          .enabled(if: TestDatabases.postgresServerURL != nil, "needs CRM_TEST_POSTGRES_URL (CI sets it)"))
    func otherProcessWrites() async throws {
        try await TestDatabases.with(.postgresPool) { listener in
            let wakes = StreamCollector(listener.changes())
            defer { wakes.stop() }
            #expect(await wakes.until { $0.count >= 1 }, "the LISTEN connection's first wake")
            let command = try await CRMDatabase.open(listener.location, logger: TestDatabases.logger)
            _ = try await UnitService(store: command.store).create(name: "Loja")
            await command.close()
            #expect(await wakes.until { $0.count >= 2 }, "the command's commit was not announced")
        }
    }

    @Test("a burst of commits sends a few notices, the last after the last commit; two notices are never closer than the gap")
    func noticesAreRateLimited() async throws {
        let sent = Mutex<[ContinuousClock.Instant]>([])
        let announcer = ChangeAnnouncer(notifyOthers: { sent.withLock { $0.append(.now) } })
        for _ in 0..<60 { announcer.committed() }
        let lastCommit = ContinuousClock.now
        await announcer.flush()
        let burst = sent.withLock { $0 }
        #expect(burst.count >= 1 && burst.count <= 5, "\(burst.count) notices for 60 commits")
        #expect(burst.last.map { $0 >= lastCommit } == true, "no notice after the last commit")

        // A commit right after a notice waits for the gap before its own.
        try await Task.sleep(for: .milliseconds(50))
        announcer.committed()
        await announcer.flush()
        announcer.committed()
        await announcer.flush()
        let times = sent.withLock { $0 }
        #expect(times.count == burst.count + 2)
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later - earlier >= ChangeAnnouncer.minimumGap, "two notices \(later - earlier) apart")
        }
    }
}
