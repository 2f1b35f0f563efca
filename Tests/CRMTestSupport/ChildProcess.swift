import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program the tests start: `crm`, zbarimg, python, tmux, promtool.
///
/// Started with `posix_spawn` and reaped by `waitpid` on a thread of its own, never with
/// Foundation's `Process`: under the full parallel suite `Process.run()` crashed now and then
/// (a SIGSEGV in memcpy inside Foundation, even with launches serialized), and it never reaped a
/// daemonizing tmux client. The child inherits only its three standard descriptors, so a
/// long-lived child never holds another test's pipe open.
package final class ChildProcess: @unchecked Sendable {
    /// Where a standard stream of the child goes.
    package enum Stream: Sendable {
        /// /dev/null.
        case null
        /// A pipe whose other end this process holds (`standardInput` / `standardOutput` / `standardError`).
        case pipe
        /// A file: read for standard input, created or truncated for the outputs.
        case file(URL)
        /// Standard error only: wherever standard output goes.
        case standardOutput
    }

    package let pid: pid_t
    /// The write end of the child's standard input, when it is `.pipe`.
    package let standardInput: FileHandle?
    /// The read ends of the child's outputs, when they are `.pipe`.
    package let standardOutput: FileHandle?
    package let standardError: FileHandle?

    private let lock = NSLock()
    private var status: Int32?
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `executable` (a path, or a name looked up on PATH) with `arguments`; `environment`
    /// nil inherits this process's.
    package init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .null
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [Int32] = []
        defer { childEnds.forEach { close($0) } }
        var parentEnds: [Int32: Int32] = [:]
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let url):
                let flags = target == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC
                posix_spawn_file_actions_addopen(&actions, target, url.path, flags, 0o600)
            case .standardOutput:
                posix_spawn_file_actions_adddup2(&actions, 1, target)
            case .pipe:
                var ends: [Int32] = [-1, -1]
                // pipe2(O_CLOEXEC) is not exported to Swift; the window before fcntl only matters
                // to a child spawned meanwhile without closing its other descriptors.
                guard pipe(&ends) == 0 else { throw ChildProcessError.cannotStart(executable, errno) }
                ends.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
                let (childEnd, parentEnd) = target == 0 ? (ends[0], ends[1]) : (ends[1], ends[0])
                childEnds.append(childEnd)
                parentEnds[target] = parentEnd
                posix_spawn_file_actions_adddup2(&actions, childEnd, target)
            }
        }
        Self.closeOtherDescriptors(&actions)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        var pid = pid_t()
        let result = envp.withOptionalPointer { environmentPointer in
            executable.contains("/")
                ? posix_spawn(&pid, executable, &actions, nil, argv, environmentPointer ?? UnsafePointer(environ))
                : posix_spawnp(&pid, executable, &actions, nil, argv, environmentPointer ?? UnsafePointer(environ))
        }
        guard result == 0 else {
            parentEnds.values.forEach { close($0) }
            throw ChildProcessError.cannotStart(executable, result)
        }
        self.pid = pid
        standardInput = parentEnds[0].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        standardOutput = parentEnds[1].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        standardError = parentEnds[2].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        Thread.detachNewThread { [self] in reap() }
    }

    /// The exit code, or 128 + the signal that ended it (as a shell reports it); nil while it runs.
    package var terminationStatus: Int32? { lock.withLock { status } }
    package var isRunning: Bool { terminationStatus == nil }

    /// Blocks until the child ends. Only for threads of their own, never a cooperative one.
    @discardableResult
    package func waitUntilExit() -> Int32 {
        exited.wait()
        exited.signal()
        return terminationStatus ?? -1
    }

    /// Waits (without blocking a thread) up to `seconds` for the child to end; nil if it still runs.
    package func exitStatus(within seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return terminationStatus
    }

    /// Sends `signal` unless the child has already been reaped (its pid may then belong to another).
    package func send(_ signal: Int32) {
        lock.withLock { if status == nil { _ = kill(pid, signal) } }
    }

    package func terminate() { send(SIGTERM) }

    /// Writes `data` to the child's standard input and closes it (EOF).
    /// A child that exits without reading gets nothing more (EPIPE), and this process no SIGPIPE.
    package func writeAndCloseInput(_ data: Data) throws {
        guard let input = standardInput else { return }
        _ = Self.ignoreBrokenPipes
        var offset = 0
        while offset < data.count {
            let written = data[offset...].withUnsafeBytes { write(input.fileDescriptor, $0.baseAddress, $0.count) }
            if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { break }
        }
        try input.close()
    }

    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    private func reap() {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        let signal = raw & 0x7f
        lock.withLock { status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal }
        exited.signal()
    }

    /// Closes every descriptor above 2 in the child. glibc ≥ 2.34 has a spawn action for that, not
    /// exported to Swift, so it is looked up; without it, this process's descriptors are marked
    /// close-on-exec (racy against other threads opening files, hence only the fallback).
    private static func closeOtherDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = closeFrom {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in descriptors.compactMap(Int32.init) where descriptor > 2 {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    private nonisolated(unsafe) static let closeFrom = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
}

package enum ChildProcessError: Error, CustomStringConvertible {
    case cannotStart(String, Int32)

    package var description: String {
        switch self {
        case .cannotStart(let executable, let code): "cannot start \(executable): \(String(cString: strerror(code)))"
        }
    }
}

extension Optional where Wrapped == [UnsafeMutablePointer<CChar>?] {
    fileprivate func withOptionalPointer<R>(_ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> R) -> R {
        switch self {
        case .none: body(nil)
        case .some(let array): array.withUnsafeBufferPointer { body($0.baseAddress) }
        }
    }
}
