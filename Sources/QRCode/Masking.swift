/// The eight data masks of ISO §7.8.2 (Table 10). A mask flips every data
/// module whose (row i, column j) satisfies its condition, to break up
/// patterns that confuse readers. Function modules are never masked.
enum Mask {
    static let all = 0..<8

    /// Whether mask `mask` flips the module at row `i`, column `j`.
    static func flips(_ mask: Int, row i: Int, column j: Int) -> Bool {
        switch mask {
        case 0: (i + j) % 2 == 0
        case 1: i % 2 == 0
        case 2: j % 3 == 0
        case 3: (i + j) % 3 == 0
        case 4: (i / 2 + j / 3) % 2 == 0
        case 5: (i * j) % 2 + (i * j) % 3 == 0
        case 6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
        case 7: ((i + j) % 2 + (i * j) % 3) % 2 == 0
        default: preconditionFailure("mask \(mask) out of range")
        }
    }

    /// All eight conditions repeat every 12 rows and 6 columns, so one byte
    /// per cell of a 12×6 tile (bit m set when mask m flips it) answers all
    /// of them with a lookup.
    static let tile: [UInt8] = (0..<72).map { cell in
        var bits: UInt8 = 0
        for mask in all where flips(mask, row: cell / 6, column: cell % 6) {
            bits |= 1 << UInt8(mask)
        }
        return bits
    }

    /// The finished symbol for `mask`, row-major, 1 for dark and 0 for
    /// light: data modules masked, format information drawn.
    static func apply(_ mask: Int, to matrix: Matrix, ecc: ErrorCorrection) -> [UInt8] {
        let size = matrix.size
        let shift = UInt8(mask)
        var output = [UInt8](repeating: 0, count: size * size)
        output.withUnsafeMutableBufferPointer { output in
            matrix.modules.withUnsafeBufferPointer { modules in
                tile.withUnsafeBufferPointer { tile in
                    for y in 0..<size {
                        let tileRow = (y % 12) * 6
                        var tileColumn = 0
                        for x in 0..<size {
                            let module = modules[y * size + x]
                            let isData: UInt8 = module & Matrix.function == 0 ? 1 : 0
                            let flip = (tile[tileRow + tileColumn] >> shift) & isData
                            output[y * size + x] = (module & Matrix.dark) ^ flip
                            tileColumn = tileColumn == 5 ? 0 : tileColumn + 1
                        }
                    }
                }
            }
        }
        let format = FormatInfo.formatBits(ecc: ecc, mask: mask)
        let positions = FormatInfo.formatPositions(size: size)
        for bit in 0..<15 {
            let dark = UInt8((format >> bit) & 1)
            output[positions.first[bit].y * size + positions.first[bit].x] = dark
            output[positions.second[bit].y * size + positions.second[bit].x] = dark
        }
        return output
    }
}
