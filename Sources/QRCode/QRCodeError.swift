/// Why a QR code could not be made. `description` is a one-line message
/// meant for the person who typed the text.
public enum QRCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The payload is larger than the symbol can hold.
    case dataTooLong(Overflow)
    /// A fixed version outside 1…40 was requested.
    case invalidVersion(Int)
    /// A fixed mask outside 0…7 was requested.
    case invalidMask(Int)
    /// Even at level L with the smallest allowed quiet zone the drawing is
    /// wider than the terminal; `columnsNeeded` is that smallest width.
    case tooWide(columnsNeeded: Int, maxColumns: Int)

    public var description: String {
        switch self {
        case let .dataTooLong(overflow):
            return overflow.description
        case let .invalidVersion(version):
            return "Version \(version) does not exist; QR code versions are 1 to 40."
        case let .invalidMask(mask):
            return "Mask \(mask) does not exist; QR code masks are 0 to 7."
        case let .tooWide(needed, available):
            return "The QR code needs at least \(needed) columns but the terminal has \(available). "
                + "Widen the terminal or save the code as an image."
        }
    }
}

extension QRCodeError {
    /// How much data there is and how much would fit.
    public struct Overflow: Equatable, Sendable, CustomStringConvertible {
        /// Payload length in `unit`s.
        public let count: Int
        /// The most that fits at `ecc`: in `version`, or in version 40 when
        /// `version` is nil.
        public let capacity: Int
        /// "bytes", "digits" or "characters", after the encoding mode.
        public let unit: String
        public let ecc: ErrorCorrection
        /// The fixed version asked for, if any.
        public let version: Int?
        /// The highest level below `ecc` at which the data fits, if any.
        public let lowerLevelThatFits: ErrorCorrection?
        /// The most that fits in any QR code (version 40, level L).
        public let capacityAtLevelL: Int

        public var description: String {
            let symbol = version.map { "a version \($0) QR code" } ?? "a QR code"
            let advice = if version != nil {
                "Use a larger version or shorten the text."
            } else if let lowerLevelThatFits {
                "Use level \(lowerLevelThatFits.letter) or shorten the text."
            } else if ecc == .low {
                "Shorten the text."
            } else {
                "Shorten the text; even level L holds at most \(grouped(capacityAtLevelL)) \(unit)."
            }
            return "The data is \(grouped(count)) \(unit); \(symbol) at level \(ecc.letter) "
                + "holds at most \(grouped(capacity)) \(unit). \(advice)"
        }
    }
}

/// 2331 → "2,331". Written here so the library needs no Foundation.
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return value < 0 ? "-" + out : out
}
