/// A QR code symbol (Model 2, ISO/IEC 18004): a square of dark and light
/// modules, without the quiet zone.
///
///     let code = try QRCode(text: "https://example.com", ecc: .medium)
///     code[x, y] // true = dark
///
/// The payload is one segment in the densest mode that covers it (numeric,
/// alphanumeric, or byte with the text's UTF-8), in the smallest version
/// that holds it at the level; the mask is the one with the lowest penalty.
public struct QRCode: Sendable, Equatable {
    /// 1…40; the symbol is 17 + 4 × version modules wide.
    public let version: Int
    /// The error-correction level.
    public let ecc: ErrorCorrection
    /// The data mask, 0…7 (ISO numbering).
    public let mask: Int
    /// The mode the payload was encoded in.
    let mode: Mode
    /// Row-major modules, 1 = dark.
    let modules: [UInt8]

    /// Modules per side.
    public var size: Int { VersionTable.size(version) }

    /// Whether the module in column `x`, row `y` (0-based from the top left)
    /// is dark.
    public subscript(x: Int, y: Int) -> Bool {
        precondition(x >= 0 && x < size && y >= 0 && y < size, "module (\(x), \(y)) is outside the symbol")
        return modules[y * size + x] != 0
    }

    /// Encodes text (as UTF-8 unless it is all digits or all alphanumeric).
    /// - Parameters:
    ///   - version: a fixed version, or nil for the smallest that fits.
    ///   - mask: a fixed mask, or nil to pick the best by penalty score.
    /// - Throws: `QRCodeError` if the text does not fit, or version or mask
    ///   is out of range.
    public init(text: String, ecc: ErrorCorrection = .medium, version: Int? = nil, mask: Int? = nil)
        throws(QRCodeError) {
        try self.init(segment: Segment(bytes: Array(text.utf8)), ecc: ecc, version: version, mask: mask)
    }

    /// Encodes bytes (numeric or alphanumeric mode when all bytes allow it,
    /// byte mode otherwise). Same parameters as `init(text:...)`.
    public init(bytes: [UInt8], ecc: ErrorCorrection = .medium, version: Int? = nil, mask: Int? = nil)
        throws(QRCodeError) {
        try self.init(segment: Segment(bytes: bytes), ecc: ecc, version: version, mask: mask)
    }

    init(segment: Segment, ecc: ErrorCorrection, version fixedVersion: Int?, mask fixedMask: Int?)
        throws(QRCodeError) {
        if let fixedMask, !Mask.all.contains(fixedMask) { throw .invalidMask(fixedMask) }
        let version = try Self.chooseVersion(for: segment, ecc: ecc, fixed: fixedVersion)

        var matrix = Matrix.template(version: version)
        matrix.placeCodewords(Codewords.make(segment: segment, version: version, ecc: ecc))
        let chosenMask = fixedMask ?? MaskSelection.best(for: matrix, ecc: ecc)
        let symbol = Mask.apply(chosenMask, to: matrix, ecc: ecc)

        self.version = version
        self.ecc = ecc
        self.mask = chosenMask
        self.mode = segment.mode
        self.modules = symbol
    }

    /// The smallest version that holds `segment` at `ecc`, or checks the
    /// fixed one.
    static func chooseVersion(for segment: Segment, ecc: ErrorCorrection, fixed: Int?) throws(QRCodeError) -> Int {
        if let fixed {
            guard (1...40).contains(fixed) else { throw .invalidVersion(fixed) }
            guard fits(segment, version: fixed, ecc: ecc) else {
                throw .dataTooLong(overflow(segment, ecc: ecc, version: fixed))
            }
            return fixed
        }
        if let version = (1...40).first(where: { fits(segment, version: $0, ecc: ecc) }) {
            return version
        }
        throw .dataTooLong(overflow(segment, ecc: ecc, version: nil))
    }

    private static func overflow(_ segment: Segment, ecc: ErrorCorrection, version: Int?) -> QRCodeError.Overflow {
        let lower = ErrorCorrection.allCases.reversed().first { $0 < ecc && fits(segment, version: 40, ecc: $0) }
        return QRCodeError.Overflow(count: segment.bytes.count,
                                    capacity: capacity(of: segment.mode, version: version ?? 40, ecc: ecc),
                                    unit: segment.mode.unit, ecc: ecc, version: version,
                                    lowerLevelThatFits: version == nil ? lower : nil,
                                    capacityAtLevelL: capacity(of: segment.mode, version: 40, ecc: .low))
    }

    static func fits(_ segment: Segment, version: Int, ecc: ErrorCorrection) -> Bool {
        guard let bits = segment.bitLength(version: version) else { return false }
        return bits <= VersionTable.dataCodewords(version: version, ecc: ecc) * 8
    }

    /// The most characters of `mode` that fit at `version` and `ecc`.
    static func capacity(of mode: Mode, version: Int, ecc: ErrorCorrection) -> Int {
        let countBits = mode.countBits(version: version)
        let bits = VersionTable.dataCodewords(version: version, ecc: ecc) * 8 - 4 - countBits
        let characters = switch mode {
        case .numeric: bits / 10 * 3 + (bits % 10 >= 7 ? 2 : bits % 10 >= 4 ? 1 : 0)
        case .alphanumeric: bits / 11 * 2 + (bits % 11 >= 6 ? 1 : 0)
        case .byte: bits / 8
        }
        return min(characters, (1 << countBits) - 1)
    }
}
