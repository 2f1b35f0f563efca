/// The mask evaluation of ISO §7.8.3 (Table 11). The encoder picks the mask
/// whose finished symbol scores lowest on four rules:
///
/// 1. each run of five or more same-coloured modules in a row or column:
///    3 + (length − 5);
/// 2. each 2×2 block of one colour (blocks may overlap): 3;
/// 3. each 1:1:3:1:1 finder-like pattern (dark-light-dark×3-light-dark) with
///    four light modules before or after it, in a row or column: 40.
///    Modules outside the symbol count as light (the quiet zone), and a
///    pattern with light on both sides counts once;
/// 4. dark share p %: 10 for every full 5 % that |p − 50| spans.
///
/// The rules work on whole rows and columns as bit sets (see `BitLine`).
enum Penalty {
    /// `rows[y]` and `columns[x]` describe the same finished symbol.
    static func score<Line: BitLine>(rows: UnsafeBufferPointer<Line>, columns: UnsafeBufferPointer<Line>,
                                     size: Int) -> Int {
        var total = 0
        for line in rows { total += runsAndFinders(line, size: size) }
        for line in columns { total += runsAndFinders(line, size: size) }
        return total + blocks(rows: rows, size: size) + balance(rows: rows, size: size)
    }

    /// Rules 1 and 3 along one row or column.
    @inline(__always)
    static func runsAndFinders<Line: BitLine>(_ line: Line, size: Int) -> Int {
        // Rule 1. `same` bit x: modules x and x+1 match; `five` bit x:
        // modules x…x+4 match. A run of n ≥ 5 sets n − 4 bits of `five`,
        // consecutive, and scores n − 2: those bits plus 2 for its first.
        let same = ~(line ^ line.ahead(1))
        let five = same & same.ahead(1) & same.ahead(2) & same.ahead(3) & Line.first(size - 4)
        let runStarts = five & ~five.behind(1)
        let runs = five.nonzeroBitCount + 2 * runStarts.nonzeroBitCount

        // Rule 3. `core` bit x: modules x…x+6 are 1011101. Bits past the
        // end of the line are 0, i.e. light, like the quiet zone.
        let core = line & ~line.ahead(1) & line.ahead(2) & line.ahead(3) & line.ahead(4)
            & ~line.ahead(5) & line.ahead(6)
        let lightBefore = ~(line.behind(1) | line.behind(2) | line.behind(3) | line.behind(4))
        let lightAfter = ~(line.ahead(7) | line.ahead(8) | line.ahead(9) | line.ahead(10))
        let finders = (core & (lightBefore | lightAfter)).nonzeroBitCount
        return runs + 40 * finders
    }

    /// Rule 2: 2×2 blocks of one colour, from each pair of adjacent rows.
    static func blocks<Line: BitLine>(rows: UnsafeBufferPointer<Line>, size: Int) -> Int {
        let valid = Line.first(size - 1)
        var count = 0
        var upper = rows[0], upperNext = upper.ahead(1)
        for y in 1..<size {
            let lower = rows[y], lowerNext = lower.ahead(1)
            let dark = upper & upperNext & lower & lowerNext
            let light = ~(upper | upperNext | lower | lowerNext)
            count += ((dark | light) & valid).nonzeroBitCount
            (upper, upperNext) = (lower, lowerNext)
        }
        return 3 * count
    }

    /// Rule 4: balance of dark and light modules.
    static func balance<Line: BitLine>(rows: UnsafeBufferPointer<Line>, size: Int) -> Int {
        var dark = 0
        for line in rows { dark += line.nonzeroBitCount }
        let total = size * size
        // |p − 50| / 5 with p = 100 · dark / total, in integers.
        return abs(dark * 20 - total * 10) / total * 10
    }
}
