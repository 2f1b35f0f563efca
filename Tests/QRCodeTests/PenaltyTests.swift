@testable import QRCode
import Testing

/// The mask penalty is computed with bit tricks; here it is checked against
/// a plain module-by-module reading of ISO 18004 §7.8.3.
extension QRCodeSuites {
@Suite("Mask penalty")
struct PenaltyTests {
    /// Rules 1–4 the slow, obvious way. `grid[y][x]`, true = dark.
    static func referenceScore(_ grid: [[Bool]]) -> Int {
        let n = grid.count
        let rows = grid
        let columns = (0..<n).map { x in (0..<n).map { y in grid[y][x] } }
        var score = 0
        for line in rows + columns {
            // Rule 1: runs of 5 or more: 3 + (length − 5).
            var run = 1
            for i in 1..<n {
                if line[i] == line[i - 1] {
                    run += 1
                } else {
                    if run >= 5 { score += 3 + run - 5 }
                    run = 1
                }
            }
            if run >= 5 { score += 3 + run - 5 }
            // Rule 3: 1011101 with 4 light modules (or the edge) on a side.
            for start in 0...(n - 7) {
                let core = [true, false, true, true, true, false, true]
                guard (0..<7).allSatisfy({ line[start + $0] == core[$0] }) else { continue }
                let lightBefore = (start - 4..<start).allSatisfy { $0 < 0 || !line[$0] }
                let lightAfter = (start + 7..<start + 11).allSatisfy { $0 >= n || !line[$0] }
                if lightBefore || lightAfter { score += 40 }
            }
        }
        // Rule 2: 2×2 blocks of one colour.
        for y in 0..<n - 1 {
            for x in 0..<n - 1 {
                let a = grid[y][x]
                if grid[y][x + 1] == a && grid[y + 1][x] == a && grid[y + 1][x + 1] == a { score += 3 }
            }
        }
        // Rule 4: 10 points per full 5 % away from half dark.
        let dark = grid.joined().filter { $0 }.count
        let percent = Double(dark) * 100 / Double(n * n)
        score += Int((abs(percent - 50) / 5).rounded(.down)) * 10
        return score
    }

    /// The fast score of a grid, through either line type.
    static func fastScore<Line: BitLine>(_ grid: [[Bool]], as _: Line.Type) -> Int {
        let n = grid.count
        var rows = [Line](repeating: .empty, count: n), columns = rows
        for y in 0..<n {
            for x in 0..<n where grid[y][x] {
                rows[y].insert(x)
                columns[x].insert(y)
            }
        }
        return rows.withUnsafeBufferPointer { rows in
            columns.withUnsafeBufferPointer { Penalty.score(rows: rows, columns: $0, size: n) }
        }
    }

    @Test("hand-made grids score as the rules say")
    func handMade() {
        let light = [[Bool]](repeating: [Bool](repeating: false, count: 21), count: 21)
        // 42 runs of 21 (19 each), 400 blocks, 0 % dark (rule 4: 100).
        #expect(Self.referenceScore(light) == 42 * 19 + 400 * 3 + 100)
        #expect(Self.fastScore(light, as: UInt64.self) == 42 * 19 + 400 * 3 + 100)

        // One finder-like pattern at the start of row 10, light after it:
        // rule 3 counts it in that row only.
        var finder = light
        for (x, dark) in [true, false, true, true, true, false, true].enumerated() { finder[10][x] = dark }
        let withFinder = Self.referenceScore(finder)
        #expect(Self.fastScore(finder, as: UInt64.self) == withFinder)
        #expect(Self.fastScore(finder, as: WideLine.self) == withFinder)
        var notFinder = finder
        notFinder[10][5] = true // 1011111: no longer the pattern
        #expect(withFinder - Self.referenceScore(notFinder) > 30)
    }

    @Test("bit-parallel score equals the reference on random grids of every size")
    func randomGrids() {
        var rng = SeededGenerator(seed: 7)
        for size in Array(stride(from: 21, through: 173, by: 8)) + [177] {
            for density in [0.5, 0.2, 0.8] {
                let grid = (0..<size).map { _ in (0..<size).map { _ in Double.random(in: 0..<1, using: &rng) < density } }
                let expected = Self.referenceScore(grid)
                #expect(Self.fastScore(grid, as: WideLine.self) == expected, "size \(size)")
                if size <= 64 { #expect(Self.fastScore(grid, as: UInt64.self) == expected, "size \(size)") }
            }
        }
    }

    @Test("grids full of finder-like patterns and long runs")
    func structuredGrids() {
        var rng = SeededGenerator(seed: 8)
        let pieces: [[Bool]] = [[true, false, true, true, true, false, true], [false, false, false, false],
                                [true, true, true, true, true, true], [false]]
        for size in [21, 25, 61, 65, 101, 177] {
            let grid = (0..<size).map { _ in
                var row: [Bool] = []
                while row.count < size { row += pieces.randomElement(using: &rng)! }
                return Array(row.prefix(size))
            }
            #expect(Self.fastScore(grid, as: WideLine.self) == Self.referenceScore(grid), "size \(size)")
        }
    }

    @Test("every mask of real symbols scores as the reference, and the lowest wins", arguments: [1, 7, 11, 12, 27, 40])
    func realSymbols(version: Int) throws {
        for ecc in ErrorCorrection.allCases {
            let segment = Segment(bytes: Array("PEN \(version)\(ecc.letter)".utf8))
            var matrix = Matrix.template(version: version)
            matrix.placeCodewords(Codewords.make(segment: segment, version: version, ecc: ecc))
            let fast = matrix.size <= 64 ? MaskSelection.scores(for: matrix, ecc: ecc, as: UInt64.self)
                                         : MaskSelection.scores(for: matrix, ecc: ecc, as: WideLine.self)
            let reference = (0..<8).map { mask in
                let symbol = Mask.apply(mask, to: matrix, ecc: ecc)
                return Self.referenceScore((0..<matrix.size).map { y in
                    (0..<matrix.size).map { x in symbol[y * matrix.size + x] != 0 }
                })
            }
            #expect(fast == reference, "version \(version) \(ecc)")
            let code = try QRCode(segment: segment, ecc: ecc, version: version, mask: nil)
            #expect(code.mask == reference.firstIndex(of: reference.min()!))
        }
    }
}
}
