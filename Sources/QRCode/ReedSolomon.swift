/// Reed–Solomon error-correction codewords (ISO 18004 §7.5.2): the ECC of a
/// block is the remainder of data(x)·xⁿ divided by the generator
/// g(x) = (x − α⁰)(x − α¹)…(x − αⁿ⁻¹).
enum ReedSolomon {
    /// Largest number of ECC codewords per block in any version (Table 9).
    static let maxDegree = 30

    /// generatorLogs[n] = the n coefficients of g(x) below the leading xⁿ,
    /// highest power first, as logarithms (none is zero).
    static let generatorLogs: [[UInt8]] = (0...maxDegree).map { degree in
        generator(degree: degree).dropFirst().map { GF256.log[Int($0)] }
    }

    /// g(x) of the given degree, highest power first, leading 1 included.
    static func generator(degree: Int) -> [UInt8] {
        var poly: [UInt8] = [1]
        for root in 0..<degree {
            // Multiply by (x + αʳᵒᵒᵗ); in GF(2⁸) minus is plus.
            let alpha = GF256.exp[root]
            var next = poly + [0]
            for index in 1..<next.count {
                next[index] ^= GF256.multiply(poly[index - 1], alpha)
            }
            poly = next
        }
        return poly
    }

    /// Writes the ECC codewords of `data` into `ecc` (whose count is the
    /// degree). A linear-feedback shift register: each data byte, plus the
    /// register's head, times g(x) is added to the shifted register.
    static func remainder(of data: UnsafeBufferPointer<UInt8>,
                          into ecc: UnsafeMutableBufferPointer<UInt8>) {
        let degree = ecc.count
        precondition(degree >= 1 && degree <= maxDegree)
        generatorLogs[degree].withUnsafeBufferPointer { gen in
            GF256.exp.withUnsafeBufferPointer { exp in
                GF256.log.withUnsafeBufferPointer { log in
                    for index in 0..<degree { ecc[index] = 0 }
                    for byte in data {
                        let factor = byte ^ ecc[0]
                        for index in 1..<degree { ecc[index - 1] = ecc[index] }
                        ecc[degree - 1] = 0
                        if factor == 0 { continue }
                        let logFactor = Int(log[Int(factor)])
                        for index in 0..<degree {
                            ecc[index] ^= exp[logFactor + Int(gen[index])]
                        }
                    }
                }
            }
        }
    }

    /// Convenience for tests and one-off use.
    static func remainder(of data: [UInt8], degree: Int) -> [UInt8] {
        var ecc = [UInt8](repeating: 0, count: degree)
        data.withUnsafeBufferPointer { dataBuffer in
            ecc.withUnsafeMutableBufferPointer { remainder(of: dataBuffer, into: $0) }
        }
        return ecc
    }
}
