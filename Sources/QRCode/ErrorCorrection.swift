/// Error-correction level of a QR code (ISO/IEC 18004 §6.5.1): the share of
/// codewords that may be damaged and still decode — about 7 % (L), 15 % (M),
/// 25 % (Q) and 30 % (H). Higher levels make bigger symbols for the same data.
public enum ErrorCorrection: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case low = 0
    case medium = 1
    case quartile = 2
    case high = 3

    /// Parses "L", "M", "Q" or "H" (case-insensitive).
    public init?(letter: String) {
        switch letter.uppercased() {
        case "L": self = .low
        case "M": self = .medium
        case "Q": self = .quartile
        case "H": self = .high
        default: return nil
        }
    }

    /// The level's letter: "L", "M", "Q" or "H".
    public var letter: String {
        switch self {
        case .low: "L"
        case .medium: "M"
        case .quartile: "Q"
        case .high: "H"
        }
    }

    public var description: String { letter }

    public static func < (lhs: ErrorCorrection, rhs: ErrorCorrection) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The two bits that encode the level in the format information
    /// (ISO Table 12). They are not in L, M, Q, H order.
    var formatBits: Int {
        switch self {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
    }
}
