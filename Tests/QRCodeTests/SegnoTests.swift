import Foundation
@testable import QRCode
import Testing

/// Bit-exact comparison with segno (an independent Python implementation):
/// for a fixed version, level, mode and mask both must produce the same
/// matrix. segno numbers masks as ISO does; a mismatch in numbering would
/// show here as every case differing.
extension QRCodeSuites {
@Suite("Bit-exact against segno")
struct SegnoTests {
    struct Case {
        let bytes: [UInt8]
        let mode: Mode
        let version: Int
        let ecc: ErrorCorrection
        let mask: Int
    }

    /// Every version at every level (160 symbols), the mode and mask
    /// cycling, payload length random up to the capacity; plus a few
    /// hand-picked payloads.
    static func cases() -> [Case] {
        var rng = SeededGenerator(seed: 0x5E6_0001)
        var cases: [Case] = []
        let modes: [Mode] = [.numeric, .alphanumeric, .byte]
        for version in 1...40 {
            for ecc in ErrorCorrection.allCases {
                let index = cases.count
                let mode = modes[index % 3]
                let capacity = QRCode.capacity(of: mode, version: version, ecc: ecc)
                // Mostly full symbols (little padding), sometimes short ones.
                let count = index % 5 == 0 ? Int.random(in: 1...capacity, using: &rng)
                                           : Int.random(in: max(1, capacity * 3 / 4)...capacity, using: &rng)
                cases.append(Case(bytes: randomPayload(mode: mode, count: count, using: &rng),
                                  mode: mode, version: version, ecc: ecc, mask: index % 8))
            }
        }
        let evolution = "2@SiUcJzrxuQOkdfXRYnOHcOLwUwvsNqXi70taAt8ZWEhK5D679278QNN2tflwh9oCqVMOdJ6tnOxAKj9AEEX+muny,"
            + "C/8UaKf/Zj5ahVYQLjnwdXUh+XwABV097GrpqdJiGVo=,Dz9gvAbWv1tzmWaB4dVKMt8qhdJw3sYdVZDtaov1LZM=,"
            + "KuB3Ss/4OoYgUUjJ+/QJMXbV/6vNyuLtERFWONTs7y4="
        let fixed: [(String, Mode, Int, ErrorCorrection, Int)] = [
            ("01234567", .numeric, 1, .medium, 2),
            ("HELLO WORLD", .alphanumeric, 1, .quartile, 6),
            ("Olá, 世界 👋\n", .byte, 3, .high, 3),
            (evolution, .byte, 11, .medium, 4),
            (evolution, .byte, 10, .low, 7),
            ("1", .numeric, 40, .high, 5),
        ]
        for (text, mode, version, ecc, mask) in fixed {
            cases.append(Case(bytes: Array(text.utf8), mode: mode, version: version, ecc: ecc, mask: mask))
        }
        return cases
    }

    /// Whether the data bit stream, after the terminator, ends exactly on a
    /// codeword boundary with room left: the case in which segno 1.6.6 adds a
    /// whole 0x00 codeword before the pad codewords (see segno_matrix.py).
    static func isByteAligned(_ item: Case) -> Bool {
        let bits = Segment(bytes: item.bytes, mode: item.mode).bitLength(version: item.version)!
        let capacity = VersionTable.dataCodewords(version: item.version, ecc: item.ecc) * 8
        let terminated = bits + min(4, capacity - bits)
        return terminated % 8 == 0 && terminated < capacity
    }

    /// segno's matrices for `cases`, as rows of "0"/"1".
    static func segnoMatrices(_ cases: [Case], isoPadding: Bool) async throws -> [[String]] {
        let request = cases.map { item -> [String: Any] in
            ["hex": item.bytes.map { String(format: "%02x", $0) }.joined(),
             "mode": "\(item.mode)", "version": item.version, "error": item.ecc.letter, "mask": item.mask]
        }
        let input = try JSONSerialization.data(withJSONObject: request)
        let output = try await runPython("segno_matrix.py", isoPadding ? ["--iso-padding"] : [], stdin: [UInt8](input))
        let results = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout)) as? [[String: Any]])
        try #require(results.count == cases.count)
        for (item, reference) in zip(cases, results) {
            // segno must have made the symbol we asked for.
            #expect(reference["version"] as? Int == item.version)
            #expect(reference["mask"] as? Int == item.mask)
            #expect(reference["error"] as? String == item.ecc.letter)
            #expect(reference["mode"] as? String == "\(item.mode)")
        }
        return results.map { ($0["matrix"] as? String ?? "").split(separator: "\n").map(String.init) }
    }

    static func label(_ item: Case) -> String {
        "\(item.version)-\(item.ecc.letter) \(item.mode) mask \(item.mask), \(item.bytes.count) bytes"
    }

    static func ours(_ item: Case) throws -> [String] {
        try QRCode(segment: Segment(bytes: item.bytes, mode: item.mode), ecc: item.ecc,
                   version: item.version, mask: item.mask).bitRows
    }

    @Test("166 symbols (every version at every level) equal segno's, module for module")
    func matchesSegno() async throws {
        let cases = Self.cases()
        #expect(cases.count >= 166)
        let isoSegno = try await Self.segnoMatrices(cases, isoPadding: true)
        let plainSegno = try await Self.segnoMatrices(cases, isoPadding: false)
        var aligned = 0
        for (index, item) in cases.enumerated() {
            let ours = try Self.ours(item)
            #expect(ours == isoSegno[index], "differs from segno (ISO padding): \(Self.label(item))")
            if Self.isByteAligned(item) {
                // Only the pad codewords may differ from segno as installed.
                aligned += 1
            } else {
                #expect(ours == plainSegno[index], "differs from segno: \(Self.label(item))")
            }
        }
        // Both kinds are well represented (byte mode is always aligned).
        #expect(aligned >= 40 && cases.count - aligned >= 40, "\(aligned) of \(cases.count) aligned")
    }
}
}

/// Random payload of `count` characters valid in `mode` and needing it
/// (alphanumeric payloads contain a non-digit, byte payloads a byte outside
/// the alphanumeric set).
func randomPayload(mode: Mode, count: Int, using rng: inout SeededGenerator) -> [UInt8] {
    guard count > 0 else { return [] }
    var bytes: [UInt8]
    switch mode {
    case .numeric:
        bytes = (0..<count).map { _ in UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &rng) }
    case .alphanumeric:
        bytes = (0..<count).map { _ in alphanumericCharacters.randomElement(using: &rng)! }
        bytes[Int.random(in: 0..<count, using: &rng)] = alphanumericCharacters[10...].randomElement(using: &rng)!
    case .byte:
        bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes[Int.random(in: 0..<count, using: &rng)] = UInt8.random(in: 0x80...0xFF, using: &rng)
    }
    return bytes
}
