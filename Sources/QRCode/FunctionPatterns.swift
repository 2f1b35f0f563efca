/// The symbol under construction: one byte per module, row-major, holding
/// the module's colour and whether it belongs to a function pattern (finder,
/// separator, timing, alignment, format or version information), which
/// data placement and masking must skip.
struct Matrix {
    static let dark: UInt8 = 1
    static let function: UInt8 = 2

    let size: Int
    var modules: [UInt8]

    init(size: Int) {
        self.size = size
        modules = [UInt8](repeating: 0, count: size * size)
    }

    /// Marks (x, y) as a function module of the given colour.
    mutating func setFunction(x: Int, y: Int, dark: Bool) {
        modules[y * size + x] = Matrix.function | (dark ? Matrix.dark : 0)
    }
}

extension Matrix {
    /// A symbol of `version` with every function pattern drawn (ISO §6.3),
    /// the format areas reserved (light until a mask is chosen) and the
    /// version information drawn (versions 7 and up).
    static func template(version: Int) -> Matrix {
        var matrix = Matrix(size: VersionTable.size(version))
        let size = matrix.size
        matrix.drawTimingPatterns()
        // Finder patterns in three corners; their separators are the light
        // ring drawn by the 9×9 area around each.
        matrix.drawFinder(centerX: 3, centerY: 3)
        matrix.drawFinder(centerX: size - 4, centerY: 3)
        matrix.drawFinder(centerX: 3, centerY: size - 4)
        matrix.drawAlignmentPatterns(version: version)
        matrix.reserveFormatAreas()
        if version >= 7 { matrix.drawVersionInformation(version) }
        return matrix
    }

    /// Row 6 and column 6 alternate dark and light, starting dark (§6.3.5).
    private mutating func drawTimingPatterns() {
        for index in 0..<size {
            setFunction(x: 6, y: index, dark: index % 2 == 0)
            setFunction(x: index, y: 6, dark: index % 2 == 0)
        }
    }

    /// 7×7 finder (dark ring, light ring, 3×3 dark core) plus the light
    /// separator around it, clipped to the symbol (§6.3.3, §6.3.4).
    private mutating func drawFinder(centerX: Int, centerY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centerX + dx, y = centerY + dy
                guard x >= 0, x < size, y >= 0, y < size else { continue }
                let ring = max(abs(dx), abs(dy)) // 0…4 from the centre
                setFunction(x: x, y: y, dark: ring != 2 && ring != 4)
            }
        }
    }

    /// 5×5 alignment patterns (dark ring, light ring, dark centre) at every
    /// pair of Table E.1 coordinates not taken by a finder (§6.3.6).
    private mutating func drawAlignmentPatterns(version: Int) {
        let centers = VersionTable.alignmentCenters[version - 1]
        guard let last = centers.last else { return }
        for cy in centers {
            for cx in centers {
                let nearFinder = (cx == 6 && cy == 6) || (cx == 6 && cy == last) || (cx == last && cy == 6)
                if nearFinder { continue }
                for dy in -2...2 {
                    for dx in -2...2 {
                        setFunction(x: cx + dx, y: cy + dy, dark: max(abs(dx), abs(dy)) != 1)
                    }
                }
            }
        }
    }

    /// Reserves the two copies of the 15-bit format information around the
    /// finders, and sets the always-dark module beside the lower-left finder
    /// (§6.9.1, Figure 25).
    private mutating func reserveFormatAreas() {
        for (x, y) in FormatInfo.formatPositions(size: size).first { setFunction(x: x, y: y, dark: false) }
        for (x, y) in FormatInfo.formatPositions(size: size).second { setFunction(x: x, y: y, dark: false) }
        setFunction(x: 8, y: size - 8, dark: true)
    }

    /// Both 6×3 copies of the 18-bit version information (§6.10).
    private mutating func drawVersionInformation(_ version: Int) {
        let bits = FormatInfo.versionBits(version)
        for bit in 0..<18 {
            let dark = (bits >> bit) & 1 != 0
            // Bit i sits at row i/3 of columns size-11…size-9 (upper right)
            // and, transposed, in the lower-left block.
            let a = size - 11 + bit % 3, b = bit / 3
            setFunction(x: a, y: b, dark: dark)
            setFunction(x: b, y: a, dark: dark)
        }
    }
}
