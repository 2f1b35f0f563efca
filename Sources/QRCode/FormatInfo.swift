/// Format information (level and mask, ISO §7.9) and version information
/// (§7.10): small payloads protected by BCH codes, placed outside the data.
enum FormatInfo {
    /// Remainder of `value`·x^degree divided by `generator` over GF(2): the
    /// check bits of a systematic BCH code.
    static func bchRemainder(_ value: Int, generator: Int, degree: Int) -> Int {
        var remainder = value << degree
        for bit in stride(from: degree + bitWidth(value) - 1, through: degree, by: -1)
        where (remainder >> bit) & 1 != 0 {
            remainder ^= generator << (bit - degree)
        }
        return remainder
    }

    private static func bitWidth(_ value: Int) -> Int { Int.bitWidth - value.leadingZeroBitCount }

    /// The 15 format bits: level (2 bits) and mask (3 bits), 10 BCH(15,5)
    /// check bits with generator x¹⁰+x⁸+x⁵+x⁴+x²+x+1, then XOR 101010000010010
    /// so that no valid pattern is all zero.
    static func formatBits(ecc: ErrorCorrection, mask: Int) -> Int {
        let data = ecc.formatBits << 3 | mask
        return (data << 10 | bchRemainder(data, generator: 0b101_0011_0111, degree: 10)) ^ 0b101_0100_0001_0010
    }

    /// The 18 version bits: version (6 bits) and 12 BCH(18,6) check bits with
    /// generator x¹²+x¹¹+x¹⁰+x⁹+x⁸+x⁵+x²+1. Not masked.
    static func versionBits(_ version: Int) -> Int {
        version << 12 | bchRemainder(version, generator: 0b1_1111_0010_0101, degree: 12)
    }

    /// Where format bit i (0 = least significant) goes, as (x, y), in each of
    /// the two copies (Figure 25). The first wraps around the upper-left
    /// finder, skipping the timing patterns; the second is split between the
    /// upper-right (bits 0–7) and lower-left (bits 8–14) finders.
    static func formatPositions(size: Int) -> (first: [(x: Int, y: Int)], second: [(x: Int, y: Int)]) {
        var first: [(x: Int, y: Int)] = []
        var second: [(x: Int, y: Int)] = []
        for bit in 0..<15 {
            switch bit {
            case 0...5: first.append((8, bit))
            case 6: first.append((8, 7))
            case 7: first.append((8, 8))
            case 8: first.append((7, 8))
            default: first.append((14 - bit, 8))
            }
            second.append(bit < 8 ? (size - 1 - bit, 8) : (8, size - 15 + bit))
        }
        return (first, second)
    }
}
