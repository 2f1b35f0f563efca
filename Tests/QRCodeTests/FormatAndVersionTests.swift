@testable import QRCode
import Testing

extension QRCodeSuites {
@Suite("Format and version information, version tables")
struct FormatAndVersionTests {
    /// ISO 18004 Annex C lists all 32 format information strings (after
    /// the XOR mask), here by level and mask.
    static let formatStrings: [ErrorCorrection: [String]] = [
        .low: ["111011111000100", "111001011110011", "111110110101010", "111100010011101",
               "110011000101111", "110001100011000", "110110001000001", "110100101110110"],
        .medium: ["101010000010010", "101000100100101", "101111001111100", "101101101001011",
                  "100010111111001", "100000011001110", "100111110010111", "100101010100000"],
        .quartile: ["011010101011111", "011000001101000", "011111100110001", "011101000000110",
                    "010010010110100", "010000110000011", "010111011011010", "010101111101101"],
        .high: ["001011010001001", "001001110111110", "001110011100111", "001100111010000",
                "000011101100010", "000001001010101", "000110100001100", "000100000111011"],
    ]

    @Test("format information bits for every level and mask", arguments: ErrorCorrection.allCases)
    func formatBits(ecc: ErrorCorrection) {
        for mask in 0..<8 {
            let bits = FormatInfo.formatBits(ecc: ecc, mask: mask)
            #expect(String(bits, radix: 2).leftPadded(to: 15) == Self.formatStrings[ecc]![mask], "\(ecc) mask \(mask)")
        }
    }

    @Test("version information: v7 = 0x07C94 and BCH distance")
    func versionBits() {
        #expect(FormatInfo.versionBits(7) == 0x07C94)
        #expect(FormatInfo.versionBits(8) == 0x085BC)
        #expect(FormatInfo.versionBits(40) == 0x28C69)
        // A BCH(18,6) code corrects 3 errors: any two codewords differ in at
        // least 8 bits.
        let words = (7...40).map(FormatInfo.versionBits)
        for (i, a) in words.enumerated() {
            for b in words[(i + 1)...] { #expect((a ^ b).nonzeroBitCount >= 8) }
        }
    }

    @Test("both copies of the format and version information read back", arguments: [1, 6, 7, 21, 40])
    func placement(version: Int) throws {
        for ecc in ErrorCorrection.allCases {
            let code = try QRCode(text: "PLACEMENT", ecc: ecc, version: version, mask: version % 8)
            let positions = FormatInfo.formatPositions(size: code.size)
            let expected = FormatInfo.formatBits(ecc: ecc, mask: version % 8)
            for copy in [positions.first, positions.second] {
                let read = (0..<15).reduce(0) { $0 | (code[copy[$1].x, copy[$1].y] ? 1 << $1 : 0) }
                #expect(read == expected)
            }
            #expect(code[8, code.size - 8], "the dark module")
            guard version >= 7 else { continue }
            var upperRight = 0, lowerLeft = 0
            for bit in 0..<18 {
                if code[code.size - 11 + bit % 3, bit / 3] { upperRight |= 1 << bit }
                if code[bit / 3, code.size - 11 + bit % 3] { lowerLeft |= 1 << bit }
            }
            #expect(upperRight == FormatInfo.versionBits(version))
            #expect(lowerLeft == FormatInfo.versionBits(version))
        }
    }

    @Test("codeword and remainder counts match the modules left free by the function patterns")
    func moduleCounts() {
        for version in 1...40 {
            let template = Matrix.template(version: version)
            let free = template.modules.filter { $0 & Matrix.function == 0 }.count
            let row = VersionTable.row(version)
            #expect(free == row.total * 8 + row.remainderBits, "version \(version)")
            // Every level shares out the same total.
            for ecc in ErrorCorrection.allCases {
                let (perBlock, blocks) = row.ecc[ecc.rawValue]
                let data = VersionTable.dataCodewords(version: version, ecc: ecc)
                #expect(data + perBlock * blocks == row.total)
            }
        }
    }

    @Test("alignment patterns: centres are evenly spaced from 6 to size − 7")
    func alignmentCenters() {
        #expect(VersionTable.alignmentCenters[0].isEmpty)
        for version in 2...40 {
            let centers = VersionTable.alignmentCenters[version - 1]
            #expect(centers.count == version / 7 + 2)
            #expect(centers.first == 6 && centers.last == VersionTable.size(version) - 7)
            let gaps = zip(centers.dropFirst(2), centers.dropFirst()).map { $0 - $1 }
            #expect(Set(gaps).count <= 1 && gaps.allSatisfy { $0 % 2 == 0 }, "version \(version): \(centers)")
        }
    }

    @Test("capacities match ISO Table 7")
    func capacities() {
        let table: [(Int, ErrorCorrection, numeric: Int, alphanumeric: Int, byte: Int)] = [
            (1, .low, 41, 25, 17), (1, .medium, 34, 20, 14), (1, .quartile, 27, 16, 11), (1, .high, 17, 10, 7),
            (10, .medium, 513, 311, 213),
            (40, .low, 7089, 4296, 2953), (40, .medium, 5596, 3391, 2331),
            (40, .quartile, 3993, 2420, 1663), (40, .high, 3057, 1852, 1273),
        ]
        for (version, ecc, numeric, alphanumeric, byte) in table {
            #expect(QRCode.capacity(of: .numeric, version: version, ecc: ecc) == numeric)
            #expect(QRCode.capacity(of: .alphanumeric, version: version, ecc: ecc) == alphanumeric)
            #expect(QRCode.capacity(of: .byte, version: version, ecc: ecc) == byte)
        }
    }
}
}

extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
