import Foundation
@testable import QRCode
import Testing

/// Decoding with zbar (a reader no one here wrote): random payloads in all
/// three modes, sized to need every version 1–40, at every level, are
/// rendered as PNG — directly, and via the terminal drawing parsed back
/// into modules — and must decode to exactly the input bytes.
extension QRCodeSuites {
@Suite("Decoding with zbarimg")
struct DecodeTests {
    struct Case: CustomStringConvertible {
        let code: QRCode
        let payload: [UInt8]
        let fromText: Bool
        let style: TerminalStyle
        let invert: Bool
        let quietZone: Int
        var description: String {
            "\(code.version)-\(code.ecc.letter) \(code.mode) mask \(code.mask), \(payload.count) bytes"
                + (fromText ? " of UTF-8 text" : "")
        }
    }

    /// 130 cases for one level: per mode, one payload needing each version
    /// 1…40 exactly (its length is past the previous version's capacity),
    /// plus 10 short payloads in random larger versions. A third of the
    /// masks are chosen by penalty, the rest fixed at random.
    static func cases(ecc: ErrorCorrection) throws -> [Case] {
        var rng = SeededGenerator(seed: 0xDEC0DE + UInt64(ecc.rawValue))
        var cases: [Case] = []
        func add(_ payload: [UInt8], mode: Mode, version: Int?, asText: Bool) throws {
            let mask = Int.random(in: 0..<3, using: &rng) == 0 ? nil : Int.random(in: 0..<8, using: &rng)
            let code = asText
                ? try QRCode(text: String(decoding: payload, as: UTF8.self), ecc: ecc, version: version, mask: mask)
                : try QRCode(bytes: payload, ecc: ecc, version: version, mask: mask)
            #expect(code.mode == mode)
            if let mask { #expect(code.mask == mask) }
            cases.append(Case(code: code, payload: payload, fromText: asText,
                              style: Bool.random(using: &rng) ? .ansi : .plain,
                              invert: Int.random(in: 0..<4, using: &rng) == 0,
                              quietZone: Int.random(in: 2...4, using: &rng)))
        }
        for mode in [Mode.numeric, .alphanumeric, .byte] {
            for version in 1...40 {
                let lower = version == 1 ? 1 : QRCode.capacity(of: mode, version: version - 1, ecc: ecc) + 1
                let count = Int.random(in: lower...QRCode.capacity(of: mode, version: version, ecc: ecc), using: &rng)
                let asText = mode == .byte && version % 2 == 1
                let payload = asText ? randomUTF8(byteCount: count, using: &rng)
                                     : randomPayload(mode: mode, count: count, using: &rng)
                try add(payload, mode: mode, version: nil, asText: asText)
                #expect(cases.last!.code.version == version, "smallest version for \(cases.last!)")
            }
        }
        for _ in 0..<10 {
            let mode = [Mode.numeric, .alphanumeric, .byte].randomElement(using: &rng)!
            let version = Int.random(in: 2...40, using: &rng)
            let count = Int.random(in: 1...min(40, QRCode.capacity(of: mode, version: 1, ecc: ecc)), using: &rng)
            try add(randomPayload(mode: mode, count: count, using: &rng), mode: mode, version: version, asText: false)
        }
        return cases
    }

    @Test("random payloads over versions 1–40 and all modes decode exactly", arguments: ErrorCorrection.allCases)
    func decodes(ecc: ErrorCorrection) async throws {
        let zbarimg = try findExecutable("zbarimg", install: "apt-get install zbar-tools")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        let cases = try Self.cases(ecc: ecc)
        #expect(cases.count == 130)
        var files: [String] = [], expected: [[UInt8]] = [], labels: [String] = []
        for (index, item) in cases.enumerated() {
            let direct = directory.appendingPathComponent("\(index).png").path
            try Data(item.code.png(scale: 2, quietZone: 4)).write(to: URL(fileURLWithPath: direct))

            // The terminal drawing, read back module by module, must be the
            // symbol with a light quiet zone; then it goes to zbar as well.
            let drawing = item.code.terminalString(style: item.style, quietZone: item.quietZone, invert: item.invert)
            let grid = try parseTerminalDrawing(drawing, style: item.style, invert: item.invert)
            let border = item.quietZone
            try #require(grid.count == item.code.size + 2 * border + 1 && grid.allSatisfy { $0.count == grid.count - 1 },
                         "terminal drawing size, \(item)")
            var matches = true
            for y in 0..<grid.count {
                for x in 0..<grid[y].count {
                    let inside = (border..<border + item.code.size)
                    let expectedDark = inside.contains(x) && inside.contains(y) && item.code[x - border, y - border]
                    if grid[y][x] != expectedDark { matches = false }
                }
            }
            #expect(matches, "terminal drawing differs from the symbol: \(item), \(item.style), invert \(item.invert)")
            let viaTerminal = directory.appendingPathComponent("\(index)-terminal.png").path
            let png = encodePNG(width: grid[0].count, height: grid.count, scale: 2) { x, y in grid[y][x] }
            try Data(png).write(to: URL(fileURLWithPath: viaTerminal))

            files += [direct, viaTerminal]
            expected += [item.payload, item.payload]
            labels += ["\(item) (PNG)", "\(item) (terminal \(item.style), invert \(item.invert))"]
        }
        try await expectDecodes(zbarimg: zbarimg, files: files, expected: expected, labels: labels)
    }
}
}

/// Decodes `files` with one zbarimg run and checks the data of each.
/// zbarimg prints the symbols in file order with `--raw -Sbinary`, without
/// separators or charset conversion, so the output must be exactly the
/// concatenated payloads, and it must have found one symbol per file. On a
/// mismatch every file is decoded alone to name the ones that fail.
func expectDecodes(zbarimg: URL, files: [String], expected: [[UInt8]], labels: [String]) async throws {
    let arguments = ["--nodbus", "--raw", "-Sbinary"]
    let batch = try await runProcess(zbarimg, arguments + files)
    let summary = "scanned \(files.count) barcode symbols from \(files.count) images"
    if batch.stdout == Array(expected.joined()) && batch.stderr.contains(summary) { return }

    var failures = 0
    for (index, file) in files.enumerated() {
        let single = try await runProcess(zbarimg, arguments + ["-q", file])
        if single.stdout != expected[index] {
            failures += 1
            Issue.record("zbarimg read \(single.stdout.count) bytes, expected \(expected[index].count): \(labels[index])")
        }
    }
    if failures == 0 {
        Issue.record("the batch decode disagreed but every file decodes alone: \(batch.stderr)")
    }
}

/// Reads a drawing made by `terminalString` back into dark/light modules
/// (true = dark), checking the line format of the style.
func parseTerminalDrawing(_ drawing: String, style: TerminalStyle, invert: Bool) throws -> [[Bool]] {
    let start = "\u{1B}[30;47m", end = "\u{1B}[0m"
    guard drawing.hasSuffix("\n") else { throw ToolFailure(description: "drawing does not end with a newline") }
    // In .ansi the blocks are the dark modules; in .plain the light ones.
    let inkIsDark = (style == .ansi) != invert
    var grid: [[Bool]] = []
    for var line in drawing.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        if style == .ansi {
            guard line.hasPrefix(start) && line.hasSuffix(end) else {
                throw ToolFailure(description: "ANSI line without colour codes: \(line.debugDescription)")
            }
            line = String(line.dropFirst(start.count).dropLast(end.count))
        }
        guard !line.contains("\u{1B}") else { throw ToolFailure(description: "stray escape code") }
        var top: [Bool] = [], bottom: [Bool] = []
        for character in line {
            let (upper, lower): (Bool, Bool) = switch character {
            case " ": (false, false)
            case "\u{2580}": (true, false)
            case "\u{2584}": (false, true)
            case "\u{2588}": (true, true)
            default: throw ToolFailure(description: "unexpected character \(character.debugDescription)")
            }
            top.append(upper == inkIsDark)
            bottom.append(lower == inkIsDark)
        }
        grid += [top, bottom]
    }
    return grid
}

/// Random UTF-8 text of exactly `byteCount` bytes: ASCII (with newlines),
/// Latin/Greek/Cyrillic, CJK and emoji, at least one character outside
/// the alphanumeric set so that it needs byte mode.
func randomUTF8(byteCount: Int, using rng: inout SeededGenerator) -> [UInt8] {
    var text = ""
    var remaining = byteCount
    while remaining > 0 {
        let width = Int.random(in: 1...min(4, remaining), using: &rng)
        let range: ClosedRange<UInt32> = switch width {
        case 1: 0x20...0x7E
        case 2: 0xA1...0x7FF
        case 3: 0x4E00...0x9FFF
        default: 0x1F300...0x1FAFF
        }
        var scalar = Unicode.Scalar(UInt32.random(in: range, using: &rng))!
        if width == 1 && Int.random(in: 0..<30, using: &rng) == 0 { scalar = "\n" }
        text.unicodeScalars.append(scalar)
        remaining -= width
    }
    var bytes = Array(text.utf8)
    if Mode.densest(for: bytes) != .byte { bytes[0] = UInt8(ascii: "a") }
    return bytes
}
