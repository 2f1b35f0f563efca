/// How `terminalString` colours its output.
public enum TerminalStyle: Sendable {
    /// ANSI colours set explicitly (black on white), so the code scans
    /// whatever the terminal's theme.
    case ansi
    /// No escape codes at all: block characters in the terminal's own
    /// foreground colour over its own background.
    case plain
}

extension QRCode {
    /// Draws the code for a terminal, two module rows per line: each
    /// character is a space, ▀ (upper half), ▄ (lower half) or █ (both), the
    /// halves drawn being the "inked" modules of the two rows.
    ///
    /// Which modules are inked:
    /// - `.ansi`: the dark ones, in black over a white background; every
    ///   line starts with SGR 30;47 and ends with a reset.
    /// - `.plain`: the light ones, because most terminals draw light text on
    ///   a dark background, so the spaces show dark and the blocks light,
    ///   like `qrencode -t UTF8`. For dark-on-light terminals pass
    ///   `invert: true`.
    ///
    /// `invert` swaps which modules are inked (in `.ansi` that makes a
    /// negative image). The quiet zone is added around the symbol in
    /// modules; readers need at least 2, and 4 is the standard. The odd
    /// number of module rows is padded with one more light row at the bottom.
    public func terminalString(style: TerminalStyle, quietZone: Int = 4, invert: Bool = false) -> String {
        precondition(quietZone >= 0, "quiet zone must be ≥ 0")
        let inkIsDark = (style == .ansi) != invert
        let width = size + 2 * quietZone
        let lines = (width + 1) / 2
        let (start, end) = style == .ansi ? ("\u{1B}[30;47m", "\u{1B}[0m\n") : ("", "\n")

        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(lines * (width + start.count + end.count))
        for line in 0..<lines {
            scalars.append(contentsOf: start.unicodeScalars)
            for x in 0..<width {
                let top = isDark(quietZone: quietZone, x: x, y: 2 * line) == inkIsDark
                // The padding row below an odd bottom edge is light.
                let bottom = isDark(quietZone: quietZone, x: x, y: 2 * line + 1) == inkIsDark
                scalars.append(halfBlock(top: top, bottom: bottom))
            }
            scalars.append(contentsOf: end.unicodeScalars)
        }
        return String(scalars)
    }
}

/// The character that inks the given halves of a cell.
func halfBlock(top: Bool, bottom: Bool) -> Unicode.Scalar {
    switch (top, bottom) {
    case (false, false): " "
    case (true, false): "\u{2580}" // ▀
    case (false, true): "\u{2584}" // ▄
    case (true, true): "\u{2588}"  // █
    }
}
