/// A code and quiet zone chosen to fit a terminal's width.
public struct TerminalFit: Sendable, Equatable {
    public let code: QRCode
    public let quietZone: Int

    /// Width of the drawing in terminal columns (one per module).
    public var columns: Int { code.size + 2 * quietZone }
}

extension QRCode {
    /// Encodes `text` so that its drawing is at most `maxColumns` wide: a
    /// narrower quiet zone or a lower level scans better than a drawing the
    /// terminal wraps. Tries `ecc` with quiet zone 4, then 3 and 2, then each
    /// lower level down to L the same way. With `quietZone` set, only that
    /// zone is tried.
    /// - Throws: `QRCodeError.tooWide` with the narrowest possible width
    ///   when nothing fits, or `.dataTooLong` when the text fits no level.
    public static func fittingTerminal(text: String, maxColumns: Int, ecc: ErrorCorrection = .medium,
                                       quietZone: Int? = nil) throws(QRCodeError) -> TerminalFit {
        try fittingTerminal(bytes: Array(text.utf8), maxColumns: maxColumns, ecc: ecc, quietZone: quietZone)
    }

    /// `fittingTerminal(text:...)` for a payload of bytes.
    public static func fittingTerminal(bytes: [UInt8], maxColumns: Int, ecc: ErrorCorrection = .medium,
                                       quietZone: Int? = nil) throws(QRCodeError) -> TerminalFit {
        let segment = Segment(bytes: bytes)
        let zones = quietZone.map { [$0] } ?? [4, 3, 2]
        var firstError: QRCodeError?
        var narrowest = Int.max
        for level in ErrorCorrection.allCases.reversed() where level <= ecc {
            let version: Int
            do {
                version = try chooseVersion(for: segment, ecc: level, fixed: nil)
            } catch {
                firstError = firstError ?? error
                continue
            }
            let size = VersionTable.size(version)
            for zone in zones {
                narrowest = min(narrowest, size + 2 * zone)
                if size + 2 * zone <= maxColumns {
                    let code = try QRCode(segment: segment, ecc: level, version: version, mask: nil)
                    return TerminalFit(code: code, quietZone: zone)
                }
            }
        }
        if narrowest == Int.max, let firstError { throw firstError }
        throw .tooWide(columnsNeeded: narrowest, maxColumns: maxColumns)
    }
}
