import CReadline
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The console's prompt on a terminal: GNU readline (line editing, history, Tab completion)
/// through its callback interface, so that a Ctrl-C can cancel the line without a C signal
/// handler. Each line is read on a thread of its own (readline blocks), never on Swift's
/// cooperative threads. readline's state is global: one editor per process.
final class LineEditor: @unchecked Sendable {
    enum Event: Equatable {
        case line(String)
        /// Ctrl-C: the line was dropped.
        case interrupted
        /// Ctrl-D on an empty line, or the terminal went away.
        case endOfInput
    }

    private let history: ConsoleHistory?
    private let interrupts: ConsoleInterrupts

    /// Read by readline's callbacks, which cannot capture context. Set before a line is read, on
    /// the task that then waits for the reading thread.
    nonisolated(unsafe) static var completer = ConsoleCompleter(tree: ConsoleCommandTree(commandName: "crm"))
    nonisolated(unsafe) private static var received: Event?
    nonisolated(unsafe) private static var matches: [String] = []
    nonisolated(unsafe) private static var nextMatch = 0

    init(history: ConsoleHistory?, interrupts: ConsoleInterrupts) {
        self.history = history
        self.interrupts = interrupts
        crm_rl_setup { text, start, _ in LineEditor.complete(text, start: Int(start)) }
        history?.load()
    }

    /// Shows `prompt` and waits for a line, a Ctrl-C or the end of input.
    func read(prompt: String) async -> Event {
        fflush(nil)  // a command's buffered output first, then the prompt
        interrupts.drain()
        let event = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.readBlocking(prompt: prompt)) }
        }
        if case .line(let line) = event { history?.add(line) }
        return event
    }

    private func readBlocking(prompt: String) -> Event {
        Self.received = nil
        rl_callback_handler_install(prompt) { line in
            if let line {
                LineEditor.received = .line(String(cString: line))
                free(line)
            } else {
                LineEditor.received = .endOfInput
            }
            rl_callback_handler_remove()  // no new prompt until the console asks: a command runs first
        }
        while Self.received == nil {
            var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: interrupts.wakeUp, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                Self.received = .endOfInput
            } else if descriptors[1].revents & Int16(POLLIN) != 0 {
                interrupts.drain()
                // "^C" where the line ends, before readline leaves bracketed paste (which returns the cursor).
                FileHandle.standardOutput.write(Data("^C".utf8))
                crm_rl_cancel_line()
                rl_callback_handler_remove()
                FileHandle.standardOutput.write(Data("\n".utf8))
                Self.received = .interrupted
            } else if descriptors[0].revents & Int16(POLLIN) != 0 {
                rl_callback_read_char()
            } else if descriptors[0].revents != 0 {  // hung up, or an error: no more input
                rl_callback_handler_remove()
                Self.received = .endOfInput
            }
        }
        if Self.received == .endOfInput { FileHandle.standardOutput.write(Data("\n".utf8)) }
        return Self.received ?? .endOfInput
    }

    /// readline's completion function: the candidates for the word at `start`, as readline's list.
    private static func complete(_ text: UnsafePointer<CChar>?, start: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        crm_rl_completion_over()
        guard let text, let buffer = crm_rl_line_buffer() else { return nil }
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: start), as: UTF8.self)
        let partial = String(cString: text)
        let words = ConsoleLineSplitter.splitForCompletion(before).words
        matches = completer.candidates(words: words, partial: partial)
        guard !matches.isEmpty else { return nil }
        // readline asks for one candidate per call, `state` 0 on the first, until it gets NULL.
        return rl_completion_matches(text) { _, state in
            if state == 0 { LineEditor.nextMatch = 0 }
            guard LineEditor.nextMatch < LineEditor.matches.count else { return nil }
            defer { LineEditor.nextMatch += 1 }
            return strdup(LineEditor.matches[LineEditor.nextMatch])
        }
    }
}
