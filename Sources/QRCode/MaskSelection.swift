/// Chooses the data mask with the lowest penalty (ISO §7.8.3). For speed,
/// every candidate symbol is built and scored as bit lines: the unmasked
/// symbol's rows and columns are computed once, and each mask only XORs in
/// its pattern over the data modules and sets the format bits.
enum MaskSelection {
    /// The lowest-scoring mask for `matrix` (data placed, format areas light);
    /// ties go to the lower mask number.
    static func best(for matrix: Matrix, ecc: ErrorCorrection) -> Int {
        matrix.size <= 64 ? best(for: matrix, ecc: ecc, as: UInt64.self) : best(for: matrix, ecc: ecc, as: WideLine.self)
    }

    /// Every mask's score, in mask order (for tests and the `best` above).
    static func scores<Line: BitLine>(for matrix: Matrix, ecc: ErrorCorrection, as _: Line.Type) -> [Int] {
        let size = matrix.size
        var rows = [Line](repeating: .empty, count: size)
        var columns = [Line](repeating: .empty, count: size)
        var dataRows = [Line](repeating: .empty, count: size)
        var dataColumns = [Line](repeating: .empty, count: size)
        matrix.modules.withUnsafeBufferPointer { modules in
            for y in 0..<size {
                for x in 0..<size {
                    let module = modules[y * size + x]
                    if module & Matrix.dark != 0 {
                        rows[y].insert(x)
                        columns[x].insert(y)
                    }
                    if module & Matrix.function == 0 {
                        dataRows[y].insert(x)
                        dataColumns[x].insert(y)
                    }
                }
            }
        }
        // The conditions repeat every 12 rows and 6 columns: a row pattern
        // depends on y % 12, a column pattern on x % 6.
        var rowPatterns = [Line](repeating: .empty, count: 8 * 12)
        var columnPatterns = [Line](repeating: .empty, count: 8 * 6)
        for y in 0..<12 {
            for x in 0..<size {
                var masks = Mask.tile[y * 6 + x % 6] // bit m: mask m flips (x, y)
                while masks != 0 {
                    rowPatterns[masks.trailingZeroBitCount * 12 + y].insert(x)
                    masks &= masks - 1
                }
            }
        }
        for x in 0..<6 {
            for y in 0..<size {
                var masks = Mask.tile[(y % 12) * 6 + x]
                while masks != 0 {
                    columnPatterns[masks.trailingZeroBitCount * 6 + x].insert(y)
                    masks &= masks - 1
                }
            }
        }
        let positions = FormatInfo.formatPositions(size: size)

        var maskedRows = rows, maskedColumns = columns
        return Mask.all.map { mask in
            for y in 0..<size { maskedRows[y] = rows[y] ^ (dataRows[y] & rowPatterns[mask * 12 + y % 12]) }
            for x in 0..<size { maskedColumns[x] = columns[x] ^ (dataColumns[x] & columnPatterns[mask * 6 + x % 6]) }
            let format = FormatInfo.formatBits(ecc: ecc, mask: mask)
            for bit in 0..<15 where (format >> bit) & 1 != 0 {
                let (x1, y1) = positions.first[bit], (x2, y2) = positions.second[bit]
                maskedRows[y1].insert(x1)
                maskedColumns[x1].insert(y1)
                maskedRows[y2].insert(x2)
                maskedColumns[x2].insert(y2)
            }
            return maskedRows.withUnsafeBufferPointer { rows in
                maskedColumns.withUnsafeBufferPointer { columns in
                    Penalty.score(rows: rows, columns: columns, size: size)
                }
            }
        }
    }

    private static func best<Line: BitLine>(for matrix: Matrix, ecc: ErrorCorrection, as line: Line.Type) -> Int {
        let scores = scores(for: matrix, ecc: ecc, as: line)
        return scores.indices.min { scores[$0] < scores[$1] }!
    }
}
