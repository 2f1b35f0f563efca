import CRMCore

/// What the first bytes of a recipients file say about it, before the CSV library reads it: whether it
/// is text at all (a spreadsheet saved as .xlsx, a UTF-16 export and a picture are refused with what to
/// do), and the separator its header line uses.
struct CSVFileFormat: Equatable {
    /// The field separator: `,`, `;` or a tab.
    var separator: Unicode.Scalar
    /// The file starts with Excel's `sep=;` line, which names the separator and is not the header.
    var hasSeparatorLine: Bool

    static let separators: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]

    /// Looks at `head`, the start of the file at `path` (the path is only for the messages).
    static func detect(head: [UInt8], path: String) throws -> CSVFileFormat {
        try refuseNonText(head, path: path)
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        // The header is the first line that is not blank.
        while let first = bytes.first, first == 0x0A || first == 0x0D || first == 0x20 || first == 0x09 {
            let nextLine = bytes.firstIndex { $0 == 0x0A || $0 == 0x0D }
            guard let nextLine else { break }
            guard bytes[bytes.startIndex..<nextLine].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { break }
            bytes = bytes[(nextLine + 1)...]
        }
        if let hinted = separatorLine(bytes) {
            return CSVFileFormat(separator: Unicode.Scalar(hinted), hasSeparatorLine: true)
        }
        return CSVFileFormat(separator: Unicode.Scalar(headerSeparator(bytes)), hasSeparatorLine: false)
    }

    /// The separator that appears most often outside quotes on the first line: a comma when none does.
    /// A quoted header name may hold a newline; the line ends at the first newline outside quotes.
    private static func headerSeparator(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        var counts = [0, 0, 0]
        var quoted = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted {
                if byte == 0x0A || byte == 0x0D { break }
                if let index = separators.firstIndex(of: byte) { counts[index] += 1 }
            }
        }
        let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        return counts[best] > 0 ? separators[best] : UInt8(ascii: ",")
    }

    /// The separator a first line `sep=X` names (Excel writes and reads it), if the file has one.
    private static func separatorLine(_ bytes: ArraySlice<UInt8>) -> UInt8? {
        let line = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        guard line.count == 5, line.prefix(4).map({ $0 | 0x20 }) == Array("sep=".utf8),
              let separator = line.last, separators.contains(separator)
        else { return nil }
        return separator
    }

    /// Throws when the start of the file is not UTF-8 text: what was given and how to save it as CSV.
    private static func refuseNonText(_ head: [UInt8], path: String) throws {
        let saveAs = "save it as CSV (comma or semicolon separated) in UTF-8 — in Excel or LibreOffice: Save As → \"CSV UTF-8\""
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            throw CRMError.invalidInput("'\(path)' is UTF-16 or UTF-32 text (Excel's \"Unicode text\"): \(saveAs).")
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw CRMError.invalidInput("'\(path)' is a spreadsheet or zip file (.xlsx, .ods), not CSV text: \(saveAs).")
        }
        if head.contains(0) {
            throw CRMError.invalidInput("'\(path)' is not a text file (it holds binary data): \(saveAs).")
        }
    }
}
