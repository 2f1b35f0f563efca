@testable import QRCode
import Testing

extension QRCodeSuites {
@Suite("Encoder: modes, versions, errors")
struct EncoderTests {
    @Test("the densest mode covering the whole payload is used")
    func modes() throws {
        #expect(try QRCode(text: "0123456789").mode == .numeric)
        #expect(try QRCode(text: "HELLO WORLD 42 $%*+-./:").mode == .alphanumeric)
        #expect(try QRCode(text: "hello").mode == .byte)
        #expect(try QRCode(text: "").mode == .byte)
        #expect(try QRCode(text: "ÉTÉ").mode == .byte)
        #expect(try QRCode(bytes: [0x30, 0x31]).mode == .numeric)
        #expect(try QRCode(bytes: [0x00, 0xFF]).mode == .byte)
        #expect(Mode.byte.canEncode([0xFF]) && !Mode.alphanumeric.canEncode([0x61]) && !Mode.numeric.canEncode([0x41]))
    }

    @Test("numeric and alphanumeric bit streams follow §7.4.3 and §7.4.4")
    func bitStreams() {
        // ISO 18004 §7.4.3 example: "01234567" → 0001 0000001000 0000001100
        // 0101011001 1000011.
        var numeric = BitBuffer(capacityInBytes: 8)
        Segment(bytes: Array("01234567".utf8)).append(to: &numeric, version: 1)
        #expect(numeric.count == 4 + 10 + 27)
        // §7.4.4 example: "AC-42" → 0010 000000101 00111001110 11100111001 000010.
        var alphanumeric = BitBuffer(capacityInBytes: 8)
        Segment(bytes: Array("AC-42".utf8)).append(to: &alphanumeric, version: 1)
        alphanumeric.padToByte()
        let bits = "0010" + "000000101" + "00111001110" + "11100111001" + "000010"
        let padded = bits + String(repeating: "0", count: (8 - bits.count % 8) % 8)
        let expected = stride(from: 0, to: padded.count, by: 8).map { start -> UInt8 in
            let chunk = padded.dropFirst(start).prefix(8)
            return UInt8(chunk, radix: 2)!
        }
        #expect(alphanumeric.bytes == expected)
    }

    @Test("the smallest version that holds the data is chosen")
    func smallestVersion() throws {
        // Version 1-M holds 14 bytes, 34 digits, 20 alphanumerics.
        #expect(try QRCode(text: String(repeating: "a", count: 14), ecc: .medium).version == 1)
        #expect(try QRCode(text: String(repeating: "a", count: 15), ecc: .medium).version == 2)
        #expect(try QRCode(text: String(repeating: "7", count: 34), ecc: .medium).version == 1)
        #expect(try QRCode(text: String(repeating: "7", count: 35), ecc: .medium).version == 2)
        #expect(try QRCode(text: String(repeating: "A", count: 20), ecc: .medium).version == 1)
        #expect(try QRCode(text: String(repeating: "A", count: 21), ecc: .medium).version == 2)
        // The largest symbols.
        let full = try QRCode(text: String(repeating: "z", count: 2953), ecc: .low)
        #expect(full.version == 40 && full.size == 177)
        #expect(try QRCode(text: String(repeating: "9", count: 7089), ecc: .low).version == 40)
    }

    @Test("fixed version and mask are honoured")
    func fixedVersionAndMask() throws {
        for mask in 0..<8 {
            let code = try QRCode(text: "FIXED", ecc: .high, version: 5, mask: mask)
            #expect(code.version == 5 && code.mask == mask && code.ecc == .high && code.size == 37)
        }
        let automatic = try QRCode(text: "FIXED", ecc: .high, version: 5)
        #expect(automatic == (try QRCode(text: "FIXED", ecc: .high, version: 5, mask: automatic.mask)))
    }

    @Test("too much data: the message says how much fits and what to do")
    func capacityErrors() {
        let message: (String, ErrorCorrection, Int?) -> String? = { text, ecc, version in
            do {
                _ = try QRCode(text: text, ecc: ecc, version: version)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(message(String(repeating: "x", count: 2500), .medium, nil)
            == "The data is 2,500 bytes; a QR code at level M holds at most 2,331 bytes. Use level L or shorten the text.")
        #expect(message(String(repeating: "x", count: 1300), .high, nil)
            == "The data is 1,300 bytes; a QR code at level H holds at most 1,273 bytes. Use level Q or shorten the text.")
        #expect(message(String(repeating: "x", count: 2954), .low, nil)
            == "The data is 2,954 bytes; a QR code at level L holds at most 2,953 bytes. Shorten the text.")
        #expect(message(String(repeating: "x", count: 3000), .medium, nil)
            == "The data is 3,000 bytes; a QR code at level M holds at most 2,331 bytes. "
            + "Shorten the text; even level L holds at most 2,953 bytes.")
        #expect(message(String(repeating: "5", count: 6000), .medium, nil)
            == "The data is 6,000 digits; a QR code at level M holds at most 5,596 digits. Use level L or shorten the text.")
        #expect(message(String(repeating: "A", count: 4000), .high, nil)
            == "The data is 4,000 characters; a QR code at level H holds at most 1,852 characters. Use level L or shorten the text.")
        #expect(message(String(repeating: "x", count: 300), .medium, 10)
            == "The data is 300 bytes; a version 10 QR code at level M holds at most 213 bytes. "
            + "Use a larger version or shorten the text.")
        let expected = QRCodeError.Overflow(count: 2500, capacity: 2331, unit: "bytes", ecc: .medium, version: nil,
                                            lowerLevelThatFits: .low, capacityAtLevelL: 2953)
        #expect(throws: QRCodeError.dataTooLong(expected)) {
            try QRCode(text: String(repeating: "x", count: 2500))
        }
    }

    @Test("version and mask out of range are rejected")
    func invalidArguments() {
        #expect(throws: QRCodeError.invalidVersion(41)) { try QRCode(text: "A", version: 41) }
        #expect(throws: QRCodeError.invalidVersion(0)) { try QRCode(text: "A", version: 0) }
        #expect(throws: QRCodeError.invalidMask(8)) { try QRCode(text: "A", mask: 8) }
        #expect(QRCodeError.invalidVersion(41).description == "Version 41 does not exist; QR code versions are 1 to 40.")
        #expect(QRCodeError.invalidMask(-1).description == "Mask -1 does not exist; QR code masks are 0 to 7.")
    }

    @Test("thousands separators")
    func grouping() {
        #expect(grouped(0) == "0" && grouped(999) == "999" && grouped(1000) == "1,000")
        #expect(grouped(2331) == "2,331" && grouped(1_234_567) == "1,234,567" && grouped(-4500) == "-4,500")
    }

    @Test("function patterns are where ISO puts them")
    func functionPatterns() throws {
        let code = try QRCode(text: "PATTERNS", ecc: .medium, version: 7)
        let n = code.size
        // Finder corners: 7×7 ring, light separator next to it.
        for (cx, cy) in [(0, 0), (n - 7, 0), (0, n - 7)] {
            for d in 0..<7 {
                #expect(code[cx + d, cy] && code[cx + d, cy + 6] && code[cx, cy + d] && code[cx + 6, cy + d])
            }
            #expect(code[cx + 3, cy + 3] && !code[cx + 1, cy + 1])
        }
        for d in 0..<8 { #expect(!code[7, d] && !code[d, 7] && !code[n - 8, d] && !code[d, n - 8]) }
        // Timing patterns between the finders.
        for i in 8..<(n - 8) { #expect(code[i, 6] == (i % 2 == 0) && code[6, i] == (i % 2 == 0)) }
        // Alignment patterns of version 7 at 6, 22, 38 (not at the finders).
        for (x, y) in [(22, 22), (38, 22), (22, 38), (38, 38), (6, 22), (22, 6)] {
            #expect(code[x, y] && !code[x + 1, y] && !code[x, y - 1] && code[x + 2, y + 2] && code[x - 2, y])
        }
    }
}
}
