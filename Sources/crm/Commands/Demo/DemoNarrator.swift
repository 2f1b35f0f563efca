import Foundation

/// Tells the demo's story: a numbered line per step (bold on a colour terminal) and indented
/// details under it. On stdout, or on stderr with --json, where stdout holds the summary.
final class DemoNarrator: @unchecked Sendable {
    let onStandardError: Bool
    private let stream: FileHandle
    private let bold: Bool
    private let lock = NSLock()
    private var steps = 0

    init(onStandardError: Bool) {
        self.onStandardError = onStandardError
        stream = onStandardError ? FileHandle.standardError : FileHandle.standardOutput
        bold = Terminal.colorsEnabled(forStderr: onStandardError)
    }

    /// "3. Unit 'Demo' created", then each detail indented under it.
    func step(_ title: String, _ details: [String] = []) {
        let number = lock.withLock {
            steps += 1
            return steps
        }
        let heading = "\(number). \(title)"
        write([bold ? "\u{1B}[1m\(heading)\u{1B}[0m" : heading] + details.map(Self.indented))
    }

    /// Lines under the current step.
    func details(_ lines: [String]) {
        write(lines.map(Self.indented))
    }

    /// Lines as they are, outside any step.
    func say(_ lines: String...) {
        write(lines)
    }

    static func indented(_ line: String) -> String {
        line.isEmpty ? "" : "   " + line
    }

    private func write(_ lines: [String]) {
        lock.withLock { stream.write(Data((lines.joined(separator: "\n") + "\n").utf8)) }
    }
}
