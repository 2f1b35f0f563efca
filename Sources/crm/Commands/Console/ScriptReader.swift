import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The console's input when standard input is not a terminal (`crm console < commands.txt`):
/// one command per line, no prompt, no editing. The script keeps a descriptor of its own and the
/// commands get an empty standard input, so that a command that reads stdin (`--password-stdin`)
/// cannot swallow the lines after it.
final class ScriptReader: @unchecked Sendable {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var ended = false

    /// Takes over standard input: the script is read from a copy, and stdin becomes /dev/null.
    init() {
        descriptor = dup(STDIN_FILENO)
        let null = open("/dev/null", O_RDONLY)
        if null >= 0 {
            dup2(null, STDIN_FILENO)
            close(null)
        }
    }

    deinit { close(descriptor) }

    /// The next line (without its newline), or nil at the end of the script. Read on a thread of
    /// its own: a pipe may keep the reader waiting.
    func next() async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.nextBlocking()) }
        }
    }

    private func nextBlocking() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if ended {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = read(descriptor, &chunk, chunk.count)
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                ended = true
            }
        }
    }
}
