import CRMTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A `crm` process that keeps running (`messages tail`): its output is collected by threads of their
/// own while the test goes on, and it is stopped with a signal.
final class BackgroundCLI: @unchecked Sendable {
    private let process: ChildProcess
    private let lock = NSLock()
    private var stdoutData = Data()
    private var stderrData = Data()

    init(_ arguments: [String], environment: [String: String]) throws {
        process = try ChildProcess(CLIRunner.binary.path, arguments, environment: environment, stdout: .pipe, stderr: .pipe)
        collect(process.standardOutput!) { self.stdoutData.append($0) }
        collect(process.standardError!) { self.stderrData.append($0) }
    }

    var stdout: String { lock.withLock { String(decoding: stdoutData, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: stderrData, as: UTF8.self) } }

    /// Complete lines written to stdout so far.
    var lines: [String] {
        let text = stdout
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Waits (without blocking a thread) until `condition` holds for stdout's lines; false after `seconds`.
    func waitFor(seconds: Double = 20, _ condition: ([String]) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(lines) { return true }
            if !process.isRunning { return condition(lines) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// The exit status once it exits by itself; nil (and the process killed) after `seconds`.
    func exitStatus(within seconds: Double) async -> Int32? {
        guard let status = await process.exitStatus(within: seconds) else {
            process.send(SIGKILL)
            return nil
        }
        return status
    }

    /// Sends `signal` and returns the exit status, or nil (and the process killed) after `seconds`.
    func stop(signal: Int32 = SIGTERM, within seconds: Double = 15) async -> Int32? {
        process.send(signal)
        guard let status = await process.exitStatus(within: seconds) else {
            process.send(SIGKILL)
            return nil
        }
        return status
    }

    private func collect(_ handle: FileHandle, into append: @escaping @Sendable (Data) -> Void) {
        let lock = self.lock
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while true {
                let count = read(handle.fileDescriptor, &buffer, buffer.count)
                if count > 0 {
                    let chunk = Data(buffer[0..<count])
                    lock.withLock { append(chunk) }
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
