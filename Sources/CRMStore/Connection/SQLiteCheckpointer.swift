import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// Checkpoints a WAL database from a connection and a thread of its own, for a long-running
/// writer (the listener). SQLite's automatic checkpoint runs inside the commit that takes the WAL
/// past 1,000 pages, so the writer stops to copy pages into the database file and fsync it: under
/// the listener's webhook load that was a quarter of its SQLite thread's time. Here the writer
/// only appends to the WAL, and this copies what it can every `interval` without waiting for
/// anyone (PASSIVE). Commands keep SQLite's automatic checkpoints: they are short, and the
/// listener may not be running.
final class SQLiteCheckpointer: Sendable {
    static let interval: Duration = .milliseconds(250)
    private let task: Task<Void, Never>

    private init(task: Task<Void, Never>) {
        self.task = task
    }

    static func start(path: String, logger: Logger) async throws -> SQLiteCheckpointer {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: thread, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        } catch {
            try? await thread.shutdownGracefully()
            throw error
        }
        let task = Task {
            var failing = false
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                do {
                    try await connection.sql(queryLogLevel: nil).raw("PRAGMA wal_checkpoint(PASSIVE)").run()
                    failing = false
                } catch {
                    if !failing { logger.notice("SQLite: a background WAL checkpoint failed; the next one retries") }
                    failing = true
                }
            }
            // Closed from a task that is not cancelled: sqlite-nio's close gives up at once in a
            // cancelled one, and an unclosed connection traps when it is released.
            await Task {
                try? await connection.close()
                try? await thread.shutdownGracefully()
            }.value
        }
        return SQLiteCheckpointer(task: task)
    }

    /// Stops checkpointing and closes its connection (SQLite checkpoints once more when the last
    /// connection to the file closes).
    func stop() async {
        task.cancel()
        await task.value
    }
}
