/// Arithmetic in GF(2⁸) built on the primitive polynomial
/// x⁸ + x⁴ + x³ + x² + 1 (0x11D), the field of QR Reed–Solomon codes
/// (ISO 18004 §7.5.2). Addition is XOR; multiplication goes through
/// logarithm tables so it costs two lookups.
enum GF256 {
    /// exp[i] = αⁱ. Twice the period (510 entries) so that
    /// exp[log a + log b] needs no `% 255`.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for power in 0..<255 {
            table[power] = UInt8(value)
            table[power + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    /// log[a] = i such that αⁱ = a, for a ≠ 0 (log[0] is unused and 0).
    static let log: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for power in 0..<255 { table[Int(exp[power])] = UInt8(power) }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[Int(log[Int(a)]) + Int(log[Int(b)])]
    }
}
