/// Why a QR code could not be made. `description` is a one-line message
/// meant for the person who typed the text.
public enum QRCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The payload is larger than the symbol can hold.
    /// - count: payload length in `unit`s (bytes, digits or characters);
    /// - capacity: the most that fits at `ecc` (in `version`, or in version 40 when `version` is nil);
    /// - lowerLevelThatFits: the highest lower level at which it would fit, if any.
    case dataTooLong(count: Int, capacity: Int, unit: String, ecc: ErrorCorrection,
                     version: Int?, lowerLevelThatFits: ErrorCorrection?)
    /// A fixed version outside 1…40 was requested.
    case invalidVersion(Int)
    /// A fixed mask outside 0…7 was requested.
    case invalidMask(Int)
    /// Even at level L with the smallest allowed quiet zone the drawing is
    /// wider than the terminal; `columnsNeeded` is that smallest width.
    case tooWide(columnsNeeded: Int, maxColumns: Int)

    public var description: String {
        switch self {
        case let .dataTooLong(count, capacity, unit, ecc, version, lower):
            let symbol = version.map { "a version \($0) QR code" } ?? "a QR code"
            let advice = if version != nil {
                "Use a larger version or shorten the text."
            } else if let lower {
                "Use level \(lower.letter) or shorten the text."
            } else {
                "Shorten the text."
            }
            return "The data is \(grouped(count)) \(unit); \(symbol) at level \(ecc.letter) "
                + "holds at most \(grouped(capacity)) \(unit). \(advice)"
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
