import CRMCore
import Foundation
import QRCode

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows a pairing QR code and a status line under it. On a terminal the drawing is replaced in
/// place when the provider rotates the code, and the status line is rewritten; elsewhere (a pipe,
/// a log file) each new code and each new status is appended, so nothing relies on cursor moves.
final class QRScreen {
    private let stream: FileHandle
    private let descriptor: Int32
    private let isTerminal: Bool
    private let colours: Bool
    /// Lines written since the drawing began (the QR and the status line), to erase on a redraw.
    private var linesDrawn = 0
    private var lastStatus: String?

    /// Draws on stdout, or on stderr when stdout is reserved for --json.
    init(onStandardError: Bool) {
        stream = onStandardError ? FileHandle.standardError : FileHandle.standardOutput
        descriptor = onStandardError ? STDERR_FILENO : STDOUT_FILENO
        isTerminal = isatty(descriptor) == 1
        colours = Terminal.colorsEnabled(forStderr: onStandardError)
    }

    /// The drawing of `code` that fits the stream's width: ANSI black-on-white blocks on a colour
    /// terminal (they scan on dark and light themes), plain half blocks otherwise.
    static func drawing(of code: String, maxColumns: Int, colours: Bool) throws -> String {
        let fit = try QRCode.fittingTerminal(text: code, maxColumns: maxColumns)
        return fit.code.terminalString(style: colours ? .ansi : .plain, quietZone: fit.quietZone)
    }

    /// Draws `code` (replacing the previous drawing on a terminal) and the status line under it.
    func show(code: String, status: String) {
        let text: String
        do {
            text = try Self.drawing(of: code, maxColumns: Terminal.columns(of: descriptor), colours: colours)
        } catch {
            // A provider code too long for any QR version: show the status, the code stays in --json.
            write(eraseCommand() + "(this QR code cannot be drawn: \(error))\n" + status + "\n")
            linesDrawn = 2
            lastStatus = status
            return
        }
        let lines = text.hasSuffix("\n") ? text : text + "\n"
        write(eraseCommand() + lines + status + "\n")
        linesDrawn = lines.filter { $0 == "\n" }.count + 1
        lastStatus = status
    }

    /// Rewrites the status line on a terminal; appends it elsewhere when it changed.
    func update(status: String) {
        guard status != lastStatus else { return }
        lastStatus = status
        if isTerminal && linesDrawn > 0 {
            write("\r\u{1B}[1A\u{1B}[2K" + status + "\n")  // up one line, clear it, write
        } else {
            write(status + "\n")
            linesDrawn += 1
        }
    }

    /// Writes a line after the drawing (the final result), keeping the drawing on screen.
    func finish(_ line: String) {
        update(status: line)
        linesDrawn = 0
    }

    private func eraseCommand() -> String {
        guard isTerminal, linesDrawn > 0 else { return "" }
        return "\r\u{1B}[\(linesDrawn)A\u{1B}[J"  // to the first line drawn, clear to the end of the screen
    }

    private func write(_ text: String) {
        stream.write(Data(text.utf8))
    }
}

/// Writes a QR code as a PNG file (crm whatsapp connect|qrcode --png).
enum QRImageFile {
    static func write(_ code: String, to path: String) throws {
        let png: [UInt8]
        do {
            png = try QRCode(text: code).png(scale: 8, quietZone: 4)
        } catch {
            throw OutputFileError(message: "The QR code cannot be drawn as an image (\(error)).")
        }
        do {
            try Data(png).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw OutputFileError(message: "Cannot write \(path): \(error.localizedDescription) Check the folder exists and is writable.")
        }
    }
}

/// An output file that cannot be written (exit 73).
struct OutputFileError: Error {
    let message: String
}
