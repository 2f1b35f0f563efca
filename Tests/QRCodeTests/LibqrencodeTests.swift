import Foundation
@testable import QRCode
import Testing

/// Bit-exact comparison with libqrencode through its `qrencode` command.
/// qrencode cannot be told which mask to use, so we read the mask it chose
/// from its format information and encode ours with the same mask.
extension QRCodeSuites {
@Suite("Bit-exact against libqrencode")
struct LibqrencodeTests {
    /// Two levels per version, cycling through byte, numeric and
    /// alphanumeric payloads. Alphanumeric payloads have no digits, so
    /// qrencode's own segmentation keeps them in one segment like ours.
    static func cases() -> [(bytes: [UInt8], mode: Mode, version: Int, ecc: ErrorCorrection)] {
        var rng = SeededGenerator(seed: 0x0A1B_0002)
        let modes: [Mode] = [.byte, .numeric, .alphanumeric]
        let letters = alphanumericCharacters.filter { !(0x30...0x39).contains($0) }
        var cases: [(bytes: [UInt8], mode: Mode, version: Int, ecc: ErrorCorrection)] = []
        for version in 1...40 {
            for ecc in [ErrorCorrection.allCases[version % 4], ErrorCorrection.allCases[(version + 2) % 4]] {
                let mode = modes[cases.count % 3]
                let capacity = QRCode.capacity(of: mode, version: version, ecc: ecc)
                let count = Int.random(in: max(1, capacity / 2)...capacity, using: &rng)
                var bytes = randomPayload(mode: mode, count: count, using: &rng)
                if mode == .alphanumeric { bytes = bytes.map { _ in letters.randomElement(using: &rng)! } }
                cases.append((bytes, mode, version, ecc))
            }
        }
        return cases
    }

    @Test("80 symbols over all versions equal libqrencode's with the same mask")
    func matchesLibqrencode() async throws {
        let qrencode = try findExecutable("qrencode", install: "apt-get install qrencode")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var masksSeen = Set<Int>()
        for (index, item) in Self.cases().enumerated() {
            let input = directory.appendingPathComponent("\(index).bin")
            try Data(item.bytes).write(to: input)
            var arguments = ["-v", "\(item.version)", "-l", item.ecc.letter, "-m", "0", "-t", "ASCII", "-o", "-",
                             "-r", input.path]
            if item.mode == .byte { arguments.insert("-8", at: 0) }
            let result = try await runProcess(qrencode, arguments)
            try #require(result.status == 0, "qrencode failed: \(result.stderr)")
            // "##" is a dark module, two spaces a light one.
            let theirs = result.stdoutText.split(separator: "\n").map { line in
                String(stride(from: 0, to: line.count, by: 2).map { line.dropFirst($0).first == "#" ? "1" : "0" })
            }
            let label = "\(item.version)-\(item.ecc.letter) \(item.mode), \(item.bytes.count) bytes"
            try #require(theirs.count == VersionTable.size(item.version), "qrencode made another version: \(label)")

            // Their format information: level and mask.
            let first = FormatInfo.formatPositions(size: theirs.count).first
            let format = (0..<15).reduce(0) { bits, bit in
                let (x, y) = first[bit]
                return bits | (Array(theirs[y].utf8)[x] == UInt8(ascii: "1") ? 1 << bit : 0)
            } ^ 0b101_0100_0001_0010
            #expect(format >> 13 == item.ecc.formatBits, "level bits, \(label)")
            let mask = (format >> 10) & 7
            masksSeen.insert(mask)

            let ours = try QRCode(segment: Segment(bytes: item.bytes, mode: item.mode), ecc: item.ecc,
                                  version: item.version, mask: mask)
            #expect(ours.bitRows == theirs, "differs from libqrencode: \(label), mask \(mask)")
        }
        #expect(masksSeen.count >= 4, "masks exercised: \(masksSeen.sorted())")
    }
}
}
