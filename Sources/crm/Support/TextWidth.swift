/// How many terminal columns a string takes: wide (East Asian, emoji) characters take two,
/// combining marks none. Enough to keep table columns aligned with accents and emoji.
enum TextWidth {
    static func columns(_ text: String) -> Int {
        // Most cells are ASCII: one column per printable byte, no grapheme breaking needed.
        var ascii = 0
        for byte in text.utf8 {
            guard byte < 0x80 else { return text.reduce(0) { $0 + columns(of: $1) } }
            if byte >= 0x20 && byte != 0x7F { ascii += 1 }
        }
        return ascii
    }

    static func columns(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        if first.properties.generalCategory == .control { return 0 }
        if character.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation })
            || (character.unicodeScalars.count > 1 && character.unicodeScalars.contains { $0.value == 0xFE0F })
        {
            return 2
        }
        return isWide(first.value) ? 2 : 1
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Pads with spaces to `width` columns.
    static func pad(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - columns(text)))
    }

    /// Cuts to at most `width` columns, ending with … when cut.
    static func truncate(_ text: String, to width: Int) -> String {
        if text.utf8.count <= width { return text }  // never wider than its byte count
        guard columns(text) > width else { return text }
        var result = ""
        var used = 0
        for character in text {
            let next = columns(of: character)
            if used + next > width - 1 { break }
            result.append(character)
            used += next
        }
        return result + "…"
    }
}
