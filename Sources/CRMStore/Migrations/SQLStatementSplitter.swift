/// Splits a migration file into statements, since the drivers run one statement per call.
///
/// A statement ends at a `;` outside quotes ('…', "…"), comments (-- and /* */) and PostgreSQL
/// dollar quotes ($$…$$, $tag$…$tag$). A SQLite `CREATE TRIGGER … BEGIN … END;` is kept whole.
enum SQLStatementSplitter {
    static func split(_ sql: String) -> [String] {
        let characters = Array(sql.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0
        var blockDepth = 0  // BEGIN … END nesting inside CREATE TRIGGER

        func peek(_ offset: Int) -> Unicode.Scalar? {
            index + offset < characters.count ? characters[index + offset] : nil
        }
        func finishStatement() {
            let text = String(current).trimmingCharactersInSet()
            if !text.isEmpty { statements.append(text) }
            current = String.UnicodeScalarView()
        }

        while index < characters.count {
            let character = characters[index]
            switch character {
            case "'", "\"":
                let end = closingIndex(of: character, in: characters, from: index + 1)
                current.append(contentsOf: characters[index..<end])
                index = end
                continue
            case "-" where peek(1) == "-":
                while index < characters.count && characters[index] != "\n" { index += 1 }
                continue
            case "/" where peek(1) == "*":
                index += 2
                while index < characters.count && !(characters[index] == "*" && peek(1) == "/") { index += 1 }
                index = min(index + 2, characters.count)
                continue
            case "$":
                if let tagEnd = dollarTagEnd(characters, from: index) {
                    let tag = Array(characters[index...tagEnd])
                    var search = tagEnd + 1
                    while search + tag.count <= characters.count && Array(characters[search..<(search + tag.count)]) != tag {
                        search += 1
                    }
                    let end = min(search + tag.count, characters.count)
                    current.append(contentsOf: characters[index..<end])
                    index = end
                    continue
                }
            case ";":
                if blockDepth == 0 {
                    finishStatement()
                    index += 1
                    continue
                }
            default:
                break
            }
            if character.properties.isAlphabetic, index == 0 || !isWordCharacter(characters[index - 1]) {
                let word = readWord(characters, from: index).uppercased()
                if word == "BEGIN" && String(current).uppercased().contains("CREATE TRIGGER") { blockDepth += 1 }
                if word == "END" && blockDepth > 0 { blockDepth -= 1 }
            }
            current.append(character)
            index += 1
        }
        finishStatement()
        return statements
    }

    private static func closingIndex(of quote: Unicode.Scalar, in characters: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < characters.count {
            if characters[index] == quote {
                if index + 1 < characters.count && characters[index + 1] == quote {
                    index += 2  // doubled quote inside the literal
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return characters.count
    }

    /// The index of the closing `$` of a dollar-quote tag starting at `start`, if one starts there.
    private static func dollarTagEnd(_ characters: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        while index < characters.count {
            let character = characters[index]
            if character == "$" { return index }
            guard isWordCharacter(character), !(index == start + 1 && character.properties.numericType != nil) else {
                return nil
            }
            index += 1
        }
        return nil
    }

    private static func readWord(_ characters: [Unicode.Scalar], from start: Int) -> String {
        var word = String.UnicodeScalarView()
        var index = start
        while index < characters.count && isWordCharacter(characters[index]) {
            word.append(characters[index])
            index += 1
        }
        return String(word)
    }

    private static func isWordCharacter(_ character: Unicode.Scalar) -> Bool {
        character.properties.isAlphabetic || character.properties.numericType != nil || character == "_"
    }
}

extension String {
    fileprivate func trimmingCharactersInSet() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
