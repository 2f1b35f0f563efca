import CRMCore
import Foundation

/// Bounds each step of `crm demo`: a step that does not finish in time (a webhook that never
/// arrives, a server that does not answer) ends the demo with a clear message instead of hanging.
struct DemoDeadline: Sendable {
    let limit: Duration

    /// Runs `body`; when it takes longer than the limit it is cancelled and a timed-out error
    /// (exit 75) names the step. Cancelling the caller (Ctrl-C) cancels `body` too.
    func run<T: Sendable>(_ step: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = self.limit
        return try await withThrowingTaskGroup(of: Finished<T>.self) { group in
            group.addTask { .value(try await body()) }
            group.addTask {
                try await Task.sleep(for: limit)
                return .timedOut
            }
            defer { group.cancelAll() }
            guard case .value(let value)? = try await group.next() else {
                throw CRMError(.timedOut,
                    "The demo stopped: \(step) took longer than \(limit.components.seconds) s. Nothing is left running; "
                        + "run it again, with --step-timeout 60 on a slow or busy machine.")
            }
            return value
        }
    }

    private enum Finished<T: Sendable>: Sendable {
        case value(T)
        case timedOut
    }

    /// Asks `check` every `interval` until it gives a value (the caller's deadline ends the wait).
    static func poll<T>(every interval: Duration = .milliseconds(50), _ check: () async throws -> T?) async throws -> T {
        while true {
            if let value = try await check() { return value }
            try await Task.sleep(for: interval)
        }
    }
}
