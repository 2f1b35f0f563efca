extension Matrix {
    /// Places the codeword bits, most significant first, in the zigzag of
    /// ISO §7.7.3: two-module-wide columns from the right edge leftwards,
    /// alternately upwards and downwards, right module before left, skipping
    /// function modules and the vertical timing column. Modules left over
    /// after the last codeword (the remainder bits) stay light.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let size = self.size
        let totalBits = codewords.count * 8
        var bitIndex = 0
        codewords.withUnsafeBufferPointer { bytes in
            modules.withUnsafeMutableBufferPointer { grid in
                var right = size - 1
                var upward = true
                while right >= 1 {
                    if right == 6 { right = 5 } // column 6 is the timing pattern
                    for step in 0..<size {
                        let y = upward ? size - 1 - step : step
                        for column in 0..<2 {
                            let index = y * size + right - column
                            guard grid[index] & Matrix.function == 0 else { continue }
                            if bitIndex < totalBits {
                                let bit = (bytes[bitIndex >> 3] >> (7 - UInt8(bitIndex & 7))) & 1
                                grid[index] |= bit
                                bitIndex += 1
                            }
                        }
                    }
                    upward.toggle()
                    right -= 2
                }
            }
        }
        precondition(bitIndex == totalBits, "codewords do not fit the symbol")
    }
}
