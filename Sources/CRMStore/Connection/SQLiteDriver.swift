import CRMCore
import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// One SQLite connection in WAL mode with a busy timeout, so that the CLI and a running listener
/// share one file without "database is locked" errors. Transactions start with BEGIN IMMEDIATE:
/// taking the write lock first means two writers wait for each other instead of deadlocking.
final class SQLiteDriver: DatabaseDriver {
    let dialect = SQLDialectName.sqlite
    let path: String
    private let connection: SQLiteConnection
    /// A thread of its own: a connection waiting on another's write lock (busy timeout) blocks its thread,
    /// and on a shared pool it could block the very connection it waits for.
    private let thread: NIOThreadPool
    private let lock = AsyncLock()
    /// Set for a long-running writer (`backgroundCheckpoints`): checkpoints off the writer's thread.
    private let checkpointer: SQLiteCheckpointer?

    private init(path: String, connection: SQLiteConnection, thread: NIOThreadPool, checkpointer: SQLiteCheckpointer?) {
        self.path = path
        self.connection = connection
        self.thread = thread
        self.checkpointer = checkpointer
    }

    /// Opens (and creates when missing) the file. `createFolder` makes the parent folder first:
    /// used for the default location in the user's data folder, never for a path the user typed.
    /// `backgroundCheckpoints` (a long-running writer: the listener) moves WAL checkpoints off the
    /// writer's commits (`SQLiteCheckpointer`).
    static func open(path: String, createFolder: Bool, backgroundCheckpoints: Bool = false, logger: Logger) async throws -> SQLiteDriver {
        try prepareFolder(of: path, create: createFolder)
        let connection: SQLiteConnection
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        do {
            connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: thread, logger: logger,
                on: MultiThreadedEventLoopGroup.singleton.any()
            )
        } catch {
            try? await thread.shutdownGracefully()
            throw CRMError.unavailable(
                "Cannot open the SQLite database \(path): check that the file is a crm database and that you may write it."
            )
        }
        var checkpointer: SQLiteCheckpointer?
        do {
            let sql = connection.sql(queryLogLevel: nil)
            try await sql.raw("PRAGMA busy_timeout = 10000").run()
            try await sql.raw("PRAGMA journal_mode = WAL").run()
            try await sql.raw("PRAGMA synchronous = NORMAL").run()
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            // A page cache of up to 16 MiB instead of 2: a large write (a campaign of 100,000 recipients)
            // no longer spills pages to the WAL and reads them back before it commits. Statement
            // journals (multi-row UPDATEs) in memory rather than temporary files.
            try await sql.raw("PRAGMA cache_size = -16384").run()
            try await sql.raw("PRAGMA temp_store = MEMORY").run()
            if backgroundCheckpoints {
                checkpointer = try await SQLiteCheckpointer.start(path: path, logger: logger)
                try await sql.raw("PRAGMA wal_autocheckpoint = 0").run()
            }
        } catch {
            await checkpointer?.stop()
            try? await connection.close()
            try? await thread.shutdownGracefully()
            throw DatabaseErrors.sqliteOpenFailure(error, path: path)
        }
        return SQLiteDriver(path: path, connection: connection, thread: thread, checkpointer: checkpointer)
    }

    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock {
            try await SerializedConnection.read(connection.sql(queryLogLevel: nil), dialect: .sqlite, body)
        }
    }

    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock {
            try await SerializedConnection.transaction(
                connection.sql(queryLogLevel: nil), begin: "BEGIN IMMEDIATE", dialect: .sqlite, body
            )
        }
    }

    func close() async {
        await checkpointer?.stop()
        try? await connection.close()
        try? await thread.shutdownGracefully()
    }

    private static func prepareFolder(of path: String, create: Bool) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        let manager = FileManager.default
        if !manager.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard create else {
                throw CRMError.unavailable(
                    "The folder \(folder) does not exist: create it, or choose another path for the SQLite database."
                )
            }
            do {
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw CRMError.unavailable("Cannot create the folder \(folder) for the SQLite database: check its permissions.")
            }
        } else if !isDirectory.boolValue {
            throw CRMError.unavailable("\(folder) is not a folder: choose another path for the SQLite database.")
        }
        let exists = manager.fileExists(atPath: path)
        if (exists && !manager.isWritableFile(atPath: path)) || (!exists && !manager.isWritableFile(atPath: folder)) {
            throw CRMError.unavailable(
                "Cannot write the SQLite database \(path): check the permissions of the file and its folder."
            )
        }
    }
}
