import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Drives a command in a real terminal (a tmux pane), as a person at a keyboard would:
/// type keys, read the screen. Used to test prompts that only appear on a terminal.
package final class TerminalSession: Sendable {
    /// The pane's size: wide and tall enough for a pairing QR code and its status line.
    package static let columns = 160
    package static let rows = 50

    private let socket = "crm-test-\(UUID().uuidString.prefix(8))"
    private let name = "crm"

    /// Starts `command` (already shell-quoted) in a new pane with `environment` set.
    package init(command: String, environment: [String: String]) throws {
        let assignments = environment.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        // The pane stays open after the command ends, so that its last screen and exit code can be read.
        // The server ends itself after 15 minutes: `deinit` kills it, but a test process that is
        // killed runs no deinit, and its console would wait at the prompt forever. (The killer is
        // an asynchronous list of a non-interactive shell, so it ignores the Ctrl-C a test sends.)
        let killer = "(sleep 900; tmux -L \(socket) kill-server) >/dev/null 2>&1 &"
        let script = "\(killer) env \(assignments) \(command); echo \"[exit $?]\"; sleep 30"
        // The tmux server forked here would hold a captured pipe open forever: give it no pipe at all.
        try tmux(["new-session", "-d", "-s", name, "-x", "\(Self.columns)", "-y", "\(Self.rows)", script], capture: false)
        // tmux moves a cleared screen into the scrollback: off, so that `transcript()` shows what a
        // program erased as erased.
        try tmux(["set-option", "-t", name, "scroll-on-clear", "off"], capture: false)
    }

    deinit {
        _ = try? tmux(["kill-server"], capture: false)
    }

    package func type(_ text: String, enter: Bool = true) throws {
        try tmux(["send-keys", "-t", name, "-l", text])
        if enter { try tmux(["send-keys", "-t", name, "Enter"]) }
    }

    /// Presses keys by tmux's names: "Tab", "Up", "Enter", "C-c", "C-d".
    package func press(_ keys: String...) throws {
        try tmux(["send-keys", "-t", name] + keys)
    }

    package func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", name])
    }

    /// Everything the pane showed, including what scrolled off the top; with `escapes`, with the
    /// colours and attributes as escape sequences.
    package func transcript(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-S", "-", "-t", name])
    }

    /// Waits until the screen contains `text`; returns the screen, or throws after `timeout` seconds.
    @discardableResult
    package func waitFor(_ text: String, timeout: Double = 30) async throws -> String {
        try await waitUntil("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    /// Reads the screen every 100 ms until `isReady` accepts it; returns that screen, or throws
    /// (naming `what`) after `timeout` seconds. Each read runs tmux on a thread of its own: polling
    /// from a cooperative thread would block it for every tmux run.
    @discardableResult
    package func waitUntil(_ what: String, timeout: Double = 30, _ isReady: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var current = ""
        while Date() < deadline {
            current = try await onOwnThread { try self.screen() }
            if isReady(current) { return current }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TerminalSessionError.timeout(waitingFor: what, screen: current)
    }

    /// Runs tmux through ChildProcess: Foundation's Process never reaped the tmux client whose
    /// forked server daemonizes (the tests hung), and the long-lived server must not inherit the
    /// test runner's pipes (other tests' reads would never end). Output goes through a file.
    @discardableResult
    private func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = try ChildProcess(
            "tmux", ["-L", socket] + arguments, stdout: capture ? .file(output) : .null, stderr: .standardOutput
        )
        let status = process.waitUntilExit()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw TerminalSessionError.tmuxFailed(arguments, text) }
        return text
    }

    package static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

package enum TerminalSessionError: Error, CustomStringConvertible {
    case timeout(waitingFor: String, screen: String)
    case tmuxFailed([String], String)

    package var description: String {
        switch self {
        case .timeout(let text, let screen): "timed out waiting for \(text); screen:\n\(screen)"
        case .tmuxFailed(let arguments, let output): "tmux \(arguments.joined(separator: " ")) failed (is tmux installed?): \(output)"
        }
    }
}
