import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C in the interactive console. At the prompt it cancels the line being typed (the line
/// editor reads a byte from `wakeUp`); while a command runs it cancels that command, unless the
/// command watches Ctrl-C itself (`messages tail`, `whatsapp status --watch`, `campaigns
/// dispatch`), which then stops as it would in a shell. Never the console itself.
final class ConsoleInterrupts: @unchecked Sendable {
    /// Readable after each Ctrl-C; the line editor drains it before each prompt.
    let wakeUp: Int32
    private let wakeUpWriter: Int32
    private let source: any DispatchSourceSignal
    private let lock = NSLock()
    private var running: Task<Int32, Never>?

    init() throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        (wakeUp, wakeUpWriter) = (ends[0], ends[1])
        signal(SIGINT, SIG_IGN)  // the dispatch source receives it instead of the default handler
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue(label: "crm.console.signals"))
        source.setEventHandler { [weak self] in self?.interrupted() }
        source.resume()
    }

    deinit {
        source.cancel()
        close(wakeUp)
        close(wakeUpWriter)
    }

    /// Runs `task` (one command) as the one Ctrl-C cancels; its exit code.
    func run(_ task: Task<Int32, Never>) async -> Int32 {
        lock.withLock { running = task }
        let status = await task.value
        lock.withLock { running = nil }
        return status
    }

    /// Forgets Ctrl-C pressed while a command ran, so that the next prompt is not cancelled at once.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeUp, &buffer, buffer.count) > 0 {}
    }

    private func interrupted() {
        var byte: UInt8 = 3
        _ = write(wakeUpWriter, &byte, 1)
        let task = lock.withLock { running }
        guard let task else { return }
        // A command that watches Ctrl-C stops as it would in a shell; any other is cancelled.
        if !SignalWatcher.deliver(SIGINT) { task.cancel() }
    }
}
