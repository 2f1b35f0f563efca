import CRMCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What crm needs from the terminal: whether streams are terminals, colours, prompts, hidden input.
enum Terminal {
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    static func colorsEnabled(forStderr: Bool = false) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return forStderr ? stderrIsTerminal : stdoutIsTerminal
    }

    /// The width to fit on `descriptor`: the terminal's when it is one, else $COLUMNS if set, else
    /// no limit (a file or pipe does not wrap).
    static func columns(of descriptor: Int32) -> Int {
        let isTerminal = isatty(descriptor) == 1
        if isTerminal {
            var size = winsize()
            if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            return columns
        }
        return isTerminal ? 80 : Int.max
    }

    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Asks a yes/no question on the terminal; refuses when stdin is not one.
    static func confirm(_ question: String, refusal: String) throws -> Bool {
        guard stdinIsTerminal else {
            throw CRMError(.notConfirmed, refusal)
        }
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        guard let answer = readLine(strippingNewline: true) else { return false }
        return ["y", "yes", "s", "sim"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// The guard of a destructive command run without --yes: asks on a terminal, refuses otherwise.
    static func requireConfirmation(question: String, subject: String) throws {
        let confirmed = try confirm(question, refusal: "Not deleting \(subject) without confirmation: pass --yes.")
        guard confirmed else { throw CRMError(.notConfirmed, "Cancelled: \(subject) was not deleted.") }
    }

    /// Reads a line without echoing it (for passwords), restoring the terminal afterwards.
    static func readHiddenLine(prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        let canHide = tcgetattr(STDIN_FILENO, &original) == 0
        if canHide {
            var hidden = original
            hidden.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden)
        }
        defer {
            if canHide { tcsetattr(STDIN_FILENO, TCSAFLUSH, &original) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }

    /// A new password: from stdin with --password-stdin, else typed twice on a terminal.
    static func readNewPassword(fromStdin: Bool) throws -> String {
        if fromStdin { return try readSecretFromStdin(what: "password") }
        guard stdinIsTerminal else {
            throw CRMError.invalidInput(
                "No password given: stdin is not a terminal. Pass --password-stdin and write the password to stdin."
            )
        }
        guard let first = readHiddenLine(prompt: "Password: "), let second = readHiddenLine(prompt: "Repeat password: ")
        else {
            throw CRMError(.notConfirmed, "No password entered.")
        }
        guard first == second else {
            throw CRMError.invalidInput("The two passwords differ: run the command again.")
        }
        return first
    }

    /// Reads a secret piped to stdin; one trailing newline is dropped.
    static func readSecretFromStdin(what: String) throws -> String {
        let data = Data(StandardInput.readAll())
        guard var text = String(data: data, encoding: .utf8) else {
            throw CRMError.invalidInput("The \(what) on stdin is not UTF-8 text.")
        }
        if text.hasSuffix("\r\n") {
            text.removeLast(2)
        } else if text.hasSuffix("\n") {
            text.removeLast()
        }
        guard !text.isEmpty else {
            throw CRMError.invalidInput("The \(what) on stdin is empty: write it to stdin, e.g. printf '%s' \"$PASS\" | crm ...")
        }
        return text
    }
}
