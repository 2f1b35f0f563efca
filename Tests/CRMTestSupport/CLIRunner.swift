import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `crm` binary as a user or a script would: arguments, environment, stdin, exit code.
package struct CLIRunner: Sendable {
    package struct Result: Sendable, CustomStringConvertible {
        package var status: Int32
        package var stdout: String
        package var stderr: String
        package var seconds: Double

        package var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }

        /// stdout parsed as one JSON document (nil when it is not exactly that).
        package var json: Any? {
            try? JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        }
    }

    /// The binary: $CRM_BINARY, else `crm` next to the test bundle (both live in .build/<config>/).
    package static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["CRM_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("crm")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("crm")
    }

    /// Environment every run gets: no inherited database URLs, a private data folder, fast bcrypt, no colours.
    package var environment: [String: String]

    package init(dataFolder: URL, extra: [String: String] = [:]) {
        var environment = ProcessInfo.processInfo.environment
        for key in ["CRM_DATABASE_URL", "DATABASE_URL", "CRM_LOG_LEVEL"] { environment.removeValue(forKey: key) }
        environment["XDG_DATA_HOME"] = dataFolder.path
        environment["HOME"] = dataFolder.path
        environment["CRM_BCRYPT_COST"] = "10"
        environment["NO_COLOR"] = "1"
        environment.merge(extra) { _, new in new }
        self.environment = environment
    }

    /// Runs `crm arguments…` on a thread of its own and waits for it without blocking the test
    /// runner's few cooperative threads (other tests' servers and actors keep running meanwhile).
    @discardableResult
    package func run(
        _ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:], timeout: Double = 60
    ) async throws -> Result {
        try await onOwnThread { try self.runBlocking(arguments, stdin: stdin, environment: extra, timeout: timeout) }
    }

    /// Reads a pipe to its end. FileHandle.readDataToEndOfFile traps on EINTR, which a signal
    /// delivered to the test process (another test's server) can cause; read(2) is retried instead.
    package static func readAll(_ handle: FileHandle) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(handle.fileDescriptor, &buffer, buffer.count)
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return data
            }
        }
    }

    /// Runs `crm arguments…`, writing `stdin` (and closing it) when given; kills it after `timeout` seconds.
    private func runBlocking(_ arguments: [String], stdin: String?, environment extra: [String: String], timeout: Double)
        throws -> Result
    {
        let started = Date()
        let process = try ChildProcess(
            Self.binary.path, arguments, environment: environment.merging(extra) { _, new in new },
            stdin: .pipe, stdout: .pipe, stderr: .pipe
        )
        try process.writeAndCloseInput(Data((stdin ?? "").utf8))
        // SIGTERM at the timeout, SIGKILL ten seconds later: a command whose clean stop itself
        // hangs must not hang the test that ran it.
        let killer = DispatchWorkItem { process.terminate() }
        let hardKiller = DispatchWorkItem { process.send(SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout + 10, execute: hardKiller)
        // Read both pipes to the end before waiting, so that a full pipe never blocks the child.
        // stderr is read on a thread of its own, never on Dispatch's global queue: its few threads
        // are also Swift concurrency's cooperative pool, which blocking reads would starve.
        let errorsRead = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var errData = Data()
        Thread.detachNewThread {
            errData = Self.readAll(process.standardError!)
            errorsRead.signal()
        }
        let outData = Self.readAll(process.standardOutput!)
        errorsRead.wait()
        let status = process.waitUntilExit()
        killer.cancel()
        hardKiller.cancel()
        return Result(
            status: status, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), seconds: Date().timeIntervalSince(started)
        )
    }
}
