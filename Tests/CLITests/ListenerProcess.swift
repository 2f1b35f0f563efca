import CRMTestSupport
import Foundation
import NIOConcurrencyHelpers

/// `crm webhook serve` running as a separate process, as in production: its log (stderr) is
/// collected for assertions, its port read from the "crm listening" line.
final class ListenerProcess: @unchecked Sendable {
    private(set) var process: ChildProcess!
    private let log = NIOLockedValueBox("")
    private(set) var port = 0

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var logText: String { log.withLockedValue { $0 } }

    /// Starts the listener on a free port against `databaseURL`; waits until it listens.
    static func start(databaseURL: String, environment: [String: String], extraArguments: [String] = []) async throws
        -> ListenerProcess
    {
        let listener = ListenerProcess()
        let process = try ChildProcess(
            CLIRunner.binary.path, ["webhook", "serve", "--port", "0", "--database", databaseURL] + extraArguments,
            environment: environment, stderr: .pipe
        )
        listener.process = process
        let errors = process.standardError!
        // Drained on a thread of its own for the process's whole life, so the pipe never fills.
        Thread.detachNewThread { [log = listener.log] in
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while true {
                let count = read(errors.fileDescriptor, &buffer, buffer.count)
                if count > 0 {
                    let text = String(decoding: buffer[0..<count], as: UTF8.self)
                    log.withLockedValue { $0 += text }
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
        }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            // `url=http://…` in text logs, `"url":"http://…"` in JSON ones.
            if let match = listener.logText.firstMatch(of: /url[=":]+http:\/\/127\.0\.0\.1:(\d+)/), let port = Int(match.1) {
                listener.port = port
                return listener
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.terminate()
        throw ListenerStartError(log: listener.logText)
    }

    /// SIGTERM, then the exit status (nil and SIGKILL after `seconds`).
    func stop(within seconds: Double = 15) async -> Int32? {
        process.terminate()
        guard let status = await process.exitStatus(within: seconds) else {
            process.send(SIGKILL)
            return nil
        }
        return status
    }

    /// Kills the listener at once (a crash), then waits for it to be gone without blocking a
    /// cooperative thread. `kill(2)` itself returns at once: a test may send it from anywhere.
    func crash() async {
        process.send(SIGKILL)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
    }
}

struct ListenerStartError: Error, CustomStringConvertible {
    let log: String
    var description: String { "the listener did not start:\n\(log)" }
}
