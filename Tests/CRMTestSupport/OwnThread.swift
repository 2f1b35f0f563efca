import Foundation

/// Runs blocking `work` (waiting for a process, reading a pipe to its end) on a thread of its own
/// and resumes with its result. Swift concurrency's cooperative pool has one thread per core (2 on
/// CI): a test that blocks one of them stalls the servers, clients and actors of every other test.
package func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
