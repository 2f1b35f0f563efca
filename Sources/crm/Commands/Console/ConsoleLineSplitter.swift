import CRMCore

/// Splits a console line into arguments the way a POSIX shell does for plain words: blanks
/// separate, 'single quotes' keep everything, "double quotes" keep everything but `\"`, `\\`,
/// `\$` and `` \` ``, a backslash outside quotes keeps the next character, and `#` at the start of
/// a word begins a comment. No variables, globs or pipes: what is typed is what the command gets.
enum ConsoleLineSplitter {
    /// The arguments of `line`; an unterminated quote or a trailing backslash is an error.
    static func split(_ line: String) throws -> [String] {
        let result = scan(line)
        if let quote = result.openQuote {
            throw CRMError.invalidInput("The line has an unterminated \(quote) quote: close it, or escape it with a backslash.")
        }
        if result.trailingBackslash {
            throw CRMError.invalidInput("The line ends with a backslash: the console reads one line per command.")
        }
        return result.words
    }

    /// The words before the cursor, for completion: an open quote or a trailing backslash ends the
    /// word instead of failing (the person is still typing). `partial` is the word being typed ("" after a blank).
    static func splitForCompletion(_ line: String) -> (words: [String], partial: String) {
        var result = scan(line)
        guard result.inWord, let last = result.words.popLast() else { return (result.words, "") }
        return (result.words, last)
    }

    private struct Scan {
        var words: [String] = []
        var openQuote: Character?
        var trailingBackslash = false
        /// Whether the line ends inside a word (no blank after it).
        var inWord = false
    }

    private static func scan(_ line: String) -> Scan {
        var result = Scan()
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                if quote == "\"" && !["\"", "\\", "$", "`"].contains(character) { word.append("\\") }
                word.append(character)
                escaped = false
                continue
            }
            switch (quote, character) {
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case ("'", _):
                word.append(character)
            case ("\"", "\\"), (nil, "\\"):
                escaped = true
                inWord = true
            case ("\"", _):
                word.append(character)
            case (nil, "'"), (nil, "\""):
                quote = character
                inWord = true
            case (nil, "#") where !inWord:
                return result
            case (nil, _) where character.isWhitespace:
                if inWord { result.words.append(word) }
                word = ""
                inWord = false
            default:
                word.append(character)
                inWord = true
            }
        }
        if inWord { result.words.append(word) }
        result.openQuote = quote
        result.trailingBackslash = escaped
        result.inWord = inWord
        return result
    }
}
