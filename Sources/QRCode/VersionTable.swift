/// Per-version constants from ISO/IEC 18004:2015.
enum VersionTable {
    struct Row {
        /// Codewords in the symbol, data plus error correction (Table 1).
        let total: Int
        /// Leftover modules after the last codeword (Table 1); left light.
        let remainderBits: Int
        /// Per level, in L, M, Q, H order: ECC codewords per block and
        /// number of blocks (Table 9). The data codewords are shared out as
        /// evenly as possible, later blocks taking one more.
        let ecc: [(perBlock: Int, blocks: Int)]
    }

    /// rows[version - 1].
    static let rows: [Row] = [
        /*  1 */ Row(total:   26, remainderBits: 0, ecc: [( 7,  1), (10,  1), (13,  1), (17,  1)]),
        /*  2 */ Row(total:   44, remainderBits: 7, ecc: [(10,  1), (16,  1), (22,  1), (28,  1)]),
        /*  3 */ Row(total:   70, remainderBits: 7, ecc: [(15,  1), (26,  1), (18,  2), (22,  2)]),
        /*  4 */ Row(total:  100, remainderBits: 7, ecc: [(20,  1), (18,  2), (26,  2), (16,  4)]),
        /*  5 */ Row(total:  134, remainderBits: 7, ecc: [(26,  1), (24,  2), (18,  4), (22,  4)]),
        /*  6 */ Row(total:  172, remainderBits: 7, ecc: [(18,  2), (16,  4), (24,  4), (28,  4)]),
        /*  7 */ Row(total:  196, remainderBits: 0, ecc: [(20,  2), (18,  4), (18,  6), (26,  5)]),
        /*  8 */ Row(total:  242, remainderBits: 0, ecc: [(24,  2), (22,  4), (22,  6), (26,  6)]),
        /*  9 */ Row(total:  292, remainderBits: 0, ecc: [(30,  2), (22,  5), (20,  8), (24,  8)]),
        /* 10 */ Row(total:  346, remainderBits: 0, ecc: [(18,  4), (26,  5), (24,  8), (28,  8)]),
        /* 11 */ Row(total:  404, remainderBits: 0, ecc: [(20,  4), (30,  5), (28,  8), (24, 11)]),
        /* 12 */ Row(total:  466, remainderBits: 0, ecc: [(24,  4), (22,  8), (26, 10), (28, 11)]),
        /* 13 */ Row(total:  532, remainderBits: 0, ecc: [(26,  4), (22,  9), (24, 12), (22, 16)]),
        /* 14 */ Row(total:  581, remainderBits: 3, ecc: [(30,  4), (24,  9), (20, 16), (24, 16)]),
        /* 15 */ Row(total:  655, remainderBits: 3, ecc: [(22,  6), (24, 10), (30, 12), (24, 18)]),
        /* 16 */ Row(total:  733, remainderBits: 3, ecc: [(24,  6), (28, 10), (24, 17), (30, 16)]),
        /* 17 */ Row(total:  815, remainderBits: 3, ecc: [(28,  6), (28, 11), (28, 16), (28, 19)]),
        /* 18 */ Row(total:  901, remainderBits: 3, ecc: [(30,  6), (26, 13), (28, 18), (28, 21)]),
        /* 19 */ Row(total:  991, remainderBits: 3, ecc: [(28,  7), (26, 14), (26, 21), (26, 25)]),
        /* 20 */ Row(total: 1085, remainderBits: 3, ecc: [(28,  8), (26, 16), (30, 20), (28, 25)]),
        /* 21 */ Row(total: 1156, remainderBits: 4, ecc: [(28,  8), (26, 17), (28, 23), (30, 25)]),
        /* 22 */ Row(total: 1258, remainderBits: 4, ecc: [(28,  9), (28, 17), (30, 23), (24, 34)]),
        /* 23 */ Row(total: 1364, remainderBits: 4, ecc: [(30,  9), (28, 18), (30, 25), (30, 30)]),
        /* 24 */ Row(total: 1474, remainderBits: 4, ecc: [(30, 10), (28, 20), (30, 27), (30, 32)]),
        /* 25 */ Row(total: 1588, remainderBits: 4, ecc: [(26, 12), (28, 21), (30, 29), (30, 35)]),
        /* 26 */ Row(total: 1706, remainderBits: 4, ecc: [(28, 12), (28, 23), (28, 34), (30, 37)]),
        /* 27 */ Row(total: 1828, remainderBits: 4, ecc: [(30, 12), (28, 25), (30, 34), (30, 40)]),
        /* 28 */ Row(total: 1921, remainderBits: 3, ecc: [(30, 13), (28, 26), (30, 35), (30, 42)]),
        /* 29 */ Row(total: 2051, remainderBits: 3, ecc: [(30, 14), (28, 28), (30, 38), (30, 45)]),
        /* 30 */ Row(total: 2185, remainderBits: 3, ecc: [(30, 15), (28, 29), (30, 40), (30, 48)]),
        /* 31 */ Row(total: 2323, remainderBits: 3, ecc: [(30, 16), (28, 31), (30, 43), (30, 51)]),
        /* 32 */ Row(total: 2465, remainderBits: 3, ecc: [(30, 17), (28, 33), (30, 45), (30, 54)]),
        /* 33 */ Row(total: 2611, remainderBits: 3, ecc: [(30, 18), (28, 35), (30, 48), (30, 57)]),
        /* 34 */ Row(total: 2761, remainderBits: 3, ecc: [(30, 19), (28, 37), (30, 51), (30, 60)]),
        /* 35 */ Row(total: 2876, remainderBits: 0, ecc: [(30, 19), (28, 38), (30, 53), (30, 63)]),
        /* 36 */ Row(total: 3034, remainderBits: 0, ecc: [(30, 20), (28, 40), (30, 56), (30, 66)]),
        /* 37 */ Row(total: 3196, remainderBits: 0, ecc: [(30, 21), (28, 43), (30, 59), (30, 70)]),
        /* 38 */ Row(total: 3362, remainderBits: 0, ecc: [(30, 22), (28, 45), (30, 62), (30, 74)]),
        /* 39 */ Row(total: 3532, remainderBits: 0, ecc: [(30, 24), (28, 47), (30, 65), (30, 77)]),
        /* 40 */ Row(total: 3706, remainderBits: 0, ecc: [(30, 25), (28, 49), (30, 68), (30, 81)]),
    ]

    /// Row/column coordinates of alignment pattern centres (Annex E, Table E.1);
    /// alignmentCenters[version - 1]. Every pair is used except the three
    /// that would overlap the finder patterns.
    static let alignmentCenters: [[Int]] = [
        /*  1 */ [],
        /*  2 */ [6, 18],
        /*  3 */ [6, 22],
        /*  4 */ [6, 26],
        /*  5 */ [6, 30],
        /*  6 */ [6, 34],
        /*  7 */ [6, 22, 38],
        /*  8 */ [6, 24, 42],
        /*  9 */ [6, 26, 46],
        /* 10 */ [6, 28, 50],
        /* 11 */ [6, 30, 54],
        /* 12 */ [6, 32, 58],
        /* 13 */ [6, 34, 62],
        /* 14 */ [6, 26, 46, 66],
        /* 15 */ [6, 26, 48, 70],
        /* 16 */ [6, 26, 50, 74],
        /* 17 */ [6, 30, 54, 78],
        /* 18 */ [6, 30, 56, 82],
        /* 19 */ [6, 30, 58, 86],
        /* 20 */ [6, 34, 62, 90],
        /* 21 */ [6, 28, 50, 72, 94],
        /* 22 */ [6, 26, 50, 74, 98],
        /* 23 */ [6, 30, 54, 78, 102],
        /* 24 */ [6, 28, 54, 80, 106],
        /* 25 */ [6, 32, 58, 84, 110],
        /* 26 */ [6, 30, 58, 86, 114],
        /* 27 */ [6, 34, 62, 90, 118],
        /* 28 */ [6, 26, 50, 74, 98, 122],
        /* 29 */ [6, 30, 54, 78, 102, 126],
        /* 30 */ [6, 26, 52, 78, 104, 130],
        /* 31 */ [6, 30, 56, 82, 108, 134],
        /* 32 */ [6, 34, 60, 86, 112, 138],
        /* 33 */ [6, 30, 58, 86, 114, 142],
        /* 34 */ [6, 34, 62, 90, 118, 146],
        /* 35 */ [6, 30, 54, 78, 102, 126, 150],
        /* 36 */ [6, 24, 50, 76, 102, 128, 154],
        /* 37 */ [6, 28, 54, 80, 106, 132, 158],
        /* 38 */ [6, 32, 58, 84, 110, 136, 162],
        /* 39 */ [6, 26, 54, 82, 110, 138, 166],
        /* 40 */ [6, 30, 58, 86, 114, 142, 170],
    ]

    static func row(_ version: Int) -> Row { rows[version - 1] }

    /// Data codewords available at this version and level.
    static func dataCodewords(version: Int, ecc: ErrorCorrection) -> Int {
        let row = row(version)
        let (perBlock, blocks) = row.ecc[ecc.rawValue]
        return row.total - perBlock * blocks
    }

    /// Side length in modules: 21 for version 1, 4 more per version.
    static func size(_ version: Int) -> Int { 17 + 4 * version }
}
