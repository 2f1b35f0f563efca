import ArgumentParser
import Foundation
import QRCode

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `crm qr`: draws a QR code (e.g. a WhatsApp pairing code) in the terminal
/// or writes it as PNG or SVG. The drawing itself is in the QRCode library;
/// this command only reads the input, looks at the terminal and writes.
struct QRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qr",
        abstract: "Draw a QR code for a text, such as a WhatsApp pairing code.",
        discussion: """
            The text is encoded as UTF-8 (or in the denser numeric or alphanumeric \
            mode when it allows) in the smallest QR code that holds it.

            In a terminal the code is drawn with half-block characters, two module \
            rows per line. With --format terminal it is drawn black on white with ANSI \
            colours when standard output is a terminal (NO_COLOR unset or empty, TERM \
            not dumb), so it scans on dark and light themes; otherwise it is plain UTF-8 like --format \
            utf8. Plain UTF-8 assumes light text on a dark background (the code's dark \
            modules are spaces); use --invert on light-background terminals. To fit the \
            terminal's width the quiet zone shrinks from 4 to 2 modules and then the \
            error-correction level is lowered, rather than letting the lines wrap.

            Examples:
              crm qr '2@SiUcJzrxuQOkdfXRYn...'
              crm qr - < pairing-code.txt
              crm qr --ecc H 'https://wa.me/5511999999999'
              crm qr --format utf8 --invert "$CODE" > code.txt
              crm qr --format png --scale 10 --output pairing.png "$CODE"
              crm qr --format svg "$CODE" > pairing.svg
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case terminal, utf8, png, svg
    }

    /// --ecc value; accepts lower case too.
    struct Level: ExpressibleByArgument {
        let ecc: ErrorCorrection
        init(_ ecc: ErrorCorrection) { self.ecc = ecc }
        init?(argument: String) {
            guard let ecc = ErrorCorrection(letter: argument) else { return nil }
            self.ecc = ecc
        }
        static var allValueStrings: [String] { ["L", "M", "Q", "H"] }
        var defaultValueDescription: String { ecc.letter }
    }

    @Argument(help: "The text to encode. '-' or nothing reads standard input (one trailing newline is dropped).")
    var text: String?

    @Option(help: "Error correction: L (7%), M (15%), Q (25%) or H (30%). In a terminal a lower level may be used to fit.")
    var ecc = Level(.medium)

    @Option(help: "Output: terminal (colours on a TTY), utf8 (plain text), png or svg.")
    var format: Format = .terminal

    @Option(name: [.short, .long], help: "Write to this file instead of standard output (required for png on a terminal).")
    var output: String?

    @Option(help: "Light border in modules (default 4; at least 2 for terminal and utf8).")
    var quietZone: Int?

    @Flag(help: "Swap the drawn and blank modules of terminal and utf8 output (for light-background terminals in utf8).")
    var invert = false

    @Option(help: "Pixels per module for png and svg (default 8).")
    var scale: Int?

    private var isTextFormat: Bool { format == .terminal || format == .utf8 }

    func validate() throws {
        if let quietZone {
            let least = isTextFormat ? 2 : 0
            guard (least...40).contains(quietZone) else {
                throw ValidationError("--quiet-zone must be between \(least) and 40 for \(format.rawValue) output.")
            }
        }
        if let scale {
            guard !isTextFormat else { throw ValidationError("--scale applies to png and svg only.") }
            guard (1...100).contains(scale) else { throw ValidationError("--scale must be between 1 and 100.") }
        }
        if invert && !isTextFormat {
            throw ValidationError("--invert applies to terminal and utf8 output only.")
        }
        if format == .png && output == nil && isatty(STDOUT_FILENO) != 0 {
            throw ValidationError("PNG is binary: give --output FILE or redirect standard output to a file.")
        }
        if text == nil && isatty(STDIN_FILENO) != 0 {
            throw ValidationError("Give the text to encode, or '-' to read it from standard input.")
        }
    }

    func run() throws {
        let payload = text.map { $0 == "-" ? readStandardInput() : Array($0.utf8) } ?? readStandardInput()
        let rendered: [UInt8]
        do {
            rendered = try render(payload)
        } catch {
            FileHandle.standardError.write(Data("crm qr: \(error)\n".utf8))
            throw ExitCode(65) // EX_DATAERR
        }
        if let output {
            do {
                try Data(rendered).write(to: URL(fileURLWithPath: output))
            } catch {
                FileHandle.standardError.write(Data("crm qr: cannot write \(output): \(error.localizedDescription)\n".utf8))
                throw ExitCode(73) // EX_CANTCREAT
            }
        } else {
            FileHandle.standardOutput.write(Data(rendered))
        }
    }

    private func render(_ payload: [UInt8]) throws(QRCodeError) -> [UInt8] {
        switch format {
        case .png:
            return try QRCode(bytes: payload, ecc: ecc.ecc).png(scale: scale ?? 8, quietZone: quietZone ?? 4)
        case .svg:
            return Array(try QRCode(bytes: payload, ecc: ecc.ecc).svg(scale: scale ?? 8, quietZone: quietZone ?? 4).utf8)
        case .terminal, .utf8:
            let toTerminal = output == nil && isatty(STDOUT_FILENO) != 0
            let environment = ProcessInfo.processInfo.environment
            // no-color.org: a non-empty NO_COLOR turns colours off.
            let colours = format == .terminal && toTerminal && (environment["NO_COLOR"] ?? "").isEmpty
                && environment["TERM"] != "dumb"
            let fit = try QRCode.fittingTerminal(bytes: payload, maxColumns: Terminal.columns(of: toTerminal ? STDOUT_FILENO : -1),
                                                 ecc: ecc.ecc, quietZone: quietZone)
            if fit.code.ecc != ecc.ecc {
                FileHandle.standardError.write(Data(
                    "crm qr: using level \(fit.code.ecc.letter) instead of \(ecc.ecc.letter) to fit the terminal width\n".utf8))
            }
            let drawing = fit.code.terminalString(style: colours ? .ansi : .plain, quietZone: fit.quietZone, invert: invert)
            return Array(drawing.utf8)
        }
    }
}

/// All of standard input, less one trailing newline ("\n" or "\r\n").
private func readStandardInput() -> [UInt8] {
    var bytes = StandardInput.readAll()
    if bytes.last == UInt8(ascii: "\n") {
        bytes.removeLast()
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
    }
    return bytes
}
