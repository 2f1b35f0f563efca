import Foundation
@testable import QRCode
import Testing

/// An Evolution API pairing code (240 characters).
let evolutionCode = "2@SiUcJzrxuQOkdfXRYnOHcOLwUwvsNqXi70taAt8ZWEhK5D679278QNN2tflwh9oCqVMOdJ6tnOxAKj9AEEX+muny,"
    + "C/8UaKf/Zj5ahVYQLjnwdXUh+XwABV097GrpqdJiGVo=,Dz9gvAbWv1tzmWaB4dVKMt8qhdJw3sYdVZDtaov1LZM=,"
    + "KuB3Ss/4OoYgUUjJ+/QJMXbV/6vNyuLtERFWONTs7y4=,1234567890abcd"

extension QRCodeSuites {
@Suite("Terminal, PNG and SVG renderers")
struct RendererTests {
    @Test("an Evolution pairing code fits 80 columns at level M with the full quiet zone")
    func evolutionFits80Columns() throws {
        #expect(evolutionCode.utf8.count == 240)
        let fit = try QRCode.fittingTerminal(text: evolutionCode, maxColumns: 80, ecc: .medium)
        #expect(fit.code.ecc == .medium && fit.quietZone == 4)
        #expect(fit.columns <= 80)
        for style in [TerminalStyle.ansi, .plain] {
            let drawing = fit.code.terminalString(style: style, quietZone: fit.quietZone)
            let lines = drawing.split(separator: "\n")
            #expect(lines.count == (fit.columns + 1) / 2)
            for line in lines {
                let visible = line.replacingOccurrences(of: "\u{1B}[30;47m", with: "")
                    .replacingOccurrences(of: "\u{1B}[0m", with: "")
                #expect(visible.count == fit.columns && visible.count <= 80)
            }
        }
    }

    @Test("narrow terminals shrink the quiet zone first, then the level")
    func fittingOrder() throws {
        // 240 bytes: version 10 (57 modules) at L, 11 (61) at M, 13 (69)
        // at Q, 16 (81) at H.
        let atM = try QRCode.fittingTerminal(text: evolutionCode, maxColumns: 66, ecc: .medium)
        #expect(atM.code.ecc == .medium && atM.code.version == 11 && atM.quietZone == 2)
        let atL = try QRCode.fittingTerminal(text: evolutionCode, maxColumns: 64, ecc: .medium)
        #expect(atL.code.ecc == .low && atL.code.version == 10 && atL.quietZone == 3)
        let fromH = try QRCode.fittingTerminal(text: evolutionCode, maxColumns: 80, ecc: .high)
        #expect(fromH.code.ecc == .quartile && fromH.quietZone == 4 && fromH.columns == 77)
        let wide = try QRCode.fittingTerminal(text: evolutionCode, maxColumns: 200, ecc: .high)
        #expect(wide.code.ecc == .high && wide.quietZone == 4)
        let fixedZone = try QRCode.fittingTerminal(text: evolutionCode, maxColumns: 80, ecc: .high, quietZone: 2)
        #expect(fixedZone.code.ecc == .quartile && fixedZone.quietZone == 2)

        #expect(throws: QRCodeError.tooWide(columnsNeeded: 61, maxColumns: 60)) {
            try QRCode.fittingTerminal(text: evolutionCode, maxColumns: 60)
        }
        #expect(QRCodeError.tooWide(columnsNeeded: 61, maxColumns: 60).description
            == "The QR code needs at least 61 columns but the terminal has 60. "
            + "Widen the terminal or save the code as an image.")
        let tooLong = String(repeating: "x", count: 3000)
        #expect(throws: QRCodeError.self) { try QRCode.fittingTerminal(text: tooLong, maxColumns: 500) }
    }

    @Test("plain output has no escape codes; ANSI output wraps every line in black-on-white")
    func ansiAndPlain() throws {
        let code = try QRCode(text: "HELLO", ecc: .medium)
        let plain = code.terminalString(style: .plain)
        #expect(!plain.contains("\u{1B}"))
        let ansi = code.terminalString(style: .ansi)
        let ansiLines = ansi.split(separator: "\n")
        #expect(ansiLines.count == (code.size + 8 + 1) / 2)
        #expect(ansiLines.allSatisfy { $0.hasPrefix("\u{1B}[30;47m") && $0.hasSuffix("\u{1B}[0m") })
        // Same modules either way.
        #expect(try parseTerminalDrawing(plain, style: .plain, invert: false)
            == parseTerminalDrawing(ansi, style: .ansi, invert: false))
        #expect(try parseTerminalDrawing(code.terminalString(style: .plain, invert: true), style: .plain, invert: true)
            == parseTerminalDrawing(plain, style: .plain, invert: false))
    }

    @Test("polarity: plain draws light modules (for dark terminals) unless inverted")
    func polarity() throws {
        let code = try QRCode(text: "POLARITY", ecc: .low)
        let width = code.size + 8
        // The first line is quiet zone: light modules.
        func firstLine(_ drawing: String) -> String { String(drawing.split(separator: "\n")[0]) }
        #expect(firstLine(code.terminalString(style: .plain)) == String(repeating: "\u{2588}", count: width))
        #expect(firstLine(code.terminalString(style: .plain, invert: true)) == String(repeating: " ", count: width))
        #expect(firstLine(code.terminalString(style: .ansi))
            == "\u{1B}[30;47m" + String(repeating: " ", count: width) + "\u{1B}[0m")
        // Line 2 holds module rows 4 and 5 of the bordered symbol: the
        // finder's dark top edge then its light ring, so ▀ in ANSI.
        let second = Array(code.terminalString(style: .ansi, quietZone: 4).split(separator: "\n")[2]
            .dropFirst("\u{1B}[30;47m".count))
        #expect(second[5] == "\u{2580}")
    }

    @Test("PNG: signature, IHDR, IDAT (zlib), IEND and CRCs check out with Python's zlib; pixels match",
          arguments: [(1, 1, 0), (21, 1, 4), (7, 3, 2), (40, 2, 4), (11, 8, 4)])
    func pngIsValid(version: Int, scale: Int, quietZone: Int) async throws {
        let code = try QRCode(text: "PNG TEST", ecc: .quartile, version: version)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("code.png")
        let png = code.png(scale: scale, quietZone: quietZone)
        try Data(png).write(to: file)
        let report = try await runPython("inspect_png.py", [file.path])
        let info = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout)) as? [String: Any])
        #expect(info["error"] == nil, "\(info["error"] ?? "")")
        let pixels = (code.size + 2 * quietZone) * scale
        #expect(info["chunks"] as? [String] == ["IHDR", "IDAT", "IEND"])
        #expect(info["crc_ok"] as? Bool == true)
        #expect(info["width"] as? Int == pixels && info["height"] as? Int == pixels)
        #expect(info["bit_depth"] as? Int == 1 && info["color_type"] as? Int == 0)
        #expect(info["compression"] as? Int == 0 && info["filter_method"] as? Int == 0 && info["interlace"] as? Int == 0)
        #expect(info["filters"] as? [Int] == [0])
        #expect(info["trailing_bytes"] as? Int == 0)
        let rows = try #require(info["rows"] as? [String])
        let expected = (0..<pixels).map { y in
            String((0..<pixels).map { x in code.isDark(quietZone: quietZone, x: x / scale, y: y / scale) ? "0" : "1" })
        }
        #expect(rows == expected)
        // Never much bigger than the raw scanlines (stored blocks); with
        // repeated rows the back-references must pay off.
        let raw = pixels * ((pixels + 7) / 8 + 1)
        let fileOverhead = 8 + 25 + 12 + 6 + 12 // signature, IHDR, IDAT framing, zlib framing, IEND
        #expect(png.count <= fileOverhead + raw + 5 * (raw / 65535 + 1))
        if scale > 1 { #expect(Double(png.count) < Double(raw) * 0.6) }
    }

    @Test("CRC-32 and Adler-32 match their published check values")
    func checksums() {
        #expect(Checksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksum.crc32(Array("IEND".utf8)) == 0xAE42_6082) // every PNG ends with this CRC
        #expect(Checksum.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(Checksum.adler32([UInt8](repeating: 0xFF, count: 100_000)) == adlerSlow([UInt8](repeating: 0xFF, count: 100_000)))
    }

    @Test("deflate streams inflate with Python's zlib to the original bytes")
    func deflateRoundTrip() async throws {
        var rng = SeededGenerator(seed: 11)
        let samples: [([UInt8], Int)] = [
            ([], 1),
            ([7], 1),
            ((0..<5000).map { _ in UInt8.random(in: 0...255, using: &rng) }, 100),
            ([UInt8](repeating: 0, count: 70_000), 10),
            (Array((0..<40).flatMap { _ in (0..<300).map { UInt8($0 % 7) } }), 300),
            ((0..<9000).map { _ in [0, 255].randomElement(using: &rng)! }, 90),
        ]
        for (data, rowLength) in samples {
            // Both encodings are checked, whichever zlib(_:) would pick.
            let stored = [0x78, 0x01] + Deflate.storedBlocks(data) + bigEndianAdler(data)
            #expect(try await runPython("inflate.py", stdin: stored).stdout == data, "stored, \(data.count) bytes")
            let stream = Deflate.zlib(data, rowLength: rowLength)
            let inflated = try await runPython("inflate.py", stdin: stream)
            #expect(inflated.stdout == data, "\(data.count) bytes")
        }
    }

    @Test("SVG: well-formed XML whose path covers exactly the dark modules", arguments: [0, 4])
    func svgIsValid(quietZone: Int) async throws {
        let code = try QRCode(text: evolutionCode, ecc: .low)
        let svg = code.svg(scale: 5, quietZone: quietZone)
        let report = try await runPython("inspect_svg.py", stdin: Array(svg.utf8))
        let info = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout)) as? [String: Any])
        let width = code.size + 2 * quietZone
        #expect(info["root"] as? String == "{http://www.w3.org/2000/svg}svg")
        #expect(info["viewBox"] as? String == "0 0 \(width) \(width)")
        #expect(info["width"] as? String == "\(width * 5)" && info["height"] as? String == "\(width * 5)")
        #expect(info["background"] as? String == "#fff")
        let expected = (0..<width).map { y in
            String((0..<width).map { x in code.isDark(quietZone: quietZone, x: x, y: y) ? "1" : "0" })
        }
        #expect(info["rows"] as? [String] == expected)
        #expect(svg.components(separatedBy: "<path").count == 2, "one path")
    }
}
}

private func bigEndianAdler(_ data: [UInt8]) -> [UInt8] {
    let adler = Checksum.adler32(data)
    return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: adler >> $0) }
}

private func adlerSlow(_ bytes: [UInt8]) -> UInt32 {
    var a: UInt32 = 1, b: UInt32 = 0
    for byte in bytes {
        a = (a + UInt32(byte)) % 65521
        b = (b + a) % 65521
    }
    return b << 16 | a
}
