/// One row or column of a symbol as bits — bit x is module x, 1 = dark —
/// so the penalty rules can test 64 modules per instruction. `UInt64`
/// serves symbols up to 64 modules wide (versions 1–11); `WideLine` the rest.
protocol BitLine: Equatable {
    static var empty: Self { get }
    /// Bits 0..<count set.
    static func first(_ count: Int) -> Self
    static func & (lhs: Self, rhs: Self) -> Self
    static func | (lhs: Self, rhs: Self) -> Self
    static func ^ (lhs: Self, rhs: Self) -> Self
    static prefix func ~ (value: Self) -> Self
    /// Bit x takes bit x + k (0 < k < 64): looks k modules ahead.
    func ahead(_ k: Int) -> Self
    /// Bit x takes bit x − k (0 < k < 64): looks k modules back.
    func behind(_ k: Int) -> Self
    var nonzeroBitCount: Int { get }
    mutating func insert(_ bit: Int)
}

extension UInt64: BitLine {
    static var empty: UInt64 { 0 }
    static func first(_ count: Int) -> UInt64 { count >= 64 ? ~0 : (1 &<< UInt64(count)) &- 1 }
    @inline(__always) func ahead(_ k: Int) -> UInt64 { self &>> UInt64(k) }
    @inline(__always) func behind(_ k: Int) -> UInt64 { self &<< UInt64(k) }
    @inline(__always) mutating func insert(_ bit: Int) { self |= 1 &<< UInt64(bit) }
}

/// 192 bits, enough for the widest symbol (177 modules) plus the few bits
/// that `behind` pushes past its end.
struct WideLine: BitLine {
    var low: UInt64 = 0, middle: UInt64 = 0, high: UInt64 = 0

    static var empty: WideLine { WideLine() }

    static func first(_ count: Int) -> WideLine {
        WideLine(low: .first(count), middle: .first(max(0, count - 64)), high: .first(max(0, count - 128)))
    }

    @inline(__always) static func & (lhs: WideLine, rhs: WideLine) -> WideLine {
        WideLine(low: lhs.low & rhs.low, middle: lhs.middle & rhs.middle, high: lhs.high & rhs.high)
    }

    @inline(__always) static func | (lhs: WideLine, rhs: WideLine) -> WideLine {
        WideLine(low: lhs.low | rhs.low, middle: lhs.middle | rhs.middle, high: lhs.high | rhs.high)
    }

    @inline(__always) static func ^ (lhs: WideLine, rhs: WideLine) -> WideLine {
        WideLine(low: lhs.low ^ rhs.low, middle: lhs.middle ^ rhs.middle, high: lhs.high ^ rhs.high)
    }

    @inline(__always) static prefix func ~ (value: WideLine) -> WideLine {
        WideLine(low: ~value.low, middle: ~value.middle, high: ~value.high)
    }

    @inline(__always) func ahead(_ k: Int) -> WideLine {
        let k = UInt64(k), back = 64 - k
        return WideLine(low: low &>> k | middle &<< back, middle: middle &>> k | high &<< back, high: high &>> k)
    }

    @inline(__always) func behind(_ k: Int) -> WideLine {
        let k = UInt64(k), back = 64 - k
        return WideLine(low: low &<< k, middle: middle &<< k | low &>> back, high: high &<< k | middle &>> back)
    }

    var nonzeroBitCount: Int { low.nonzeroBitCount + middle.nonzeroBitCount + high.nonzeroBitCount }

    @inline(__always) mutating func insert(_ bit: Int) {
        let mask: UInt64 = 1 &<< UInt64(bit & 63)
        switch bit >> 6 {
        case 0: low |= mask
        case 1: middle |= mask
        default: high |= mask
        }
    }
}
