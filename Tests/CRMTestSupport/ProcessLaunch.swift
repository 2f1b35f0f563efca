import Foundation

/// Starts child processes one at a time. Foundation's `Process.run()` on Linux is not safe to call
/// from several threads at once: under the full suite (dozens of tests spawning `crm`, zbarimg,
/// python at the same instant) it crashed in a memcpy inside `Process.run()`. Only the launch is
/// serialized; the children run and are waited for concurrently.
package enum ProcessLaunch {
    private static let lock = NSLock()

    package static func run(_ process: Process) throws {
        try lock.withLock { try process.run() }
    }
}
