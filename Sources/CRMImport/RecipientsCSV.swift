import CRMCore
import CSV
import Foundation

/// Reads a campaign's recipients file (CSV) into a `RecipientImport`, which holds the rules (the phone
/// column, normalization, rejected rows, duplicates).
///
///     let imported = try RecipientsCSV.read(path: "clientes.csv", defaultCountryCode: "55") { progress in
///         bar.update(progress.bytesRead, of: progress.totalBytes)
///     }
///     // imported.recipients, imported.rejected (line and reason), imported.duplicates
///
/// The file: UTF-8 with or without a byte order mark; comma, semicolon or tab separated (the one the
/// header line uses outside quotes, or the one Excel's `sep=;` first line names); fields in double
/// quotes may hold separators, doubled quotes (`""`) and newlines; CRLF, LF or CR line ends; blank
/// lines skipped; a row may have fewer or more fields than the header. CSV.swift reads the file a
/// chunk at a time, so only the recipients stay in memory.
///
/// Line numbers (of rejected rows and in errors) are the line a record starts on, as an editor
/// numbers it: the header is line 1 unless blank lines precede it, and a newline inside a quoted field
/// counts. CSV.swift does not report lines, so they are counted here from the records it returns: each
/// record ends with one line end, plus the line ends inside its fields.
///
/// Every failure is a `CRMError.invalidInput` that names the file (and the line) and says what to do:
/// a missing or unreadable file, a folder, an empty file or one with only a header, no phone column,
/// a file that is not UTF-8 text (a spreadsheet, UTF-16, binary), bytes that are not UTF-8 on some line,
/// a quote that is never closed. What to do with rejected rows (`--strict`) is the caller's choice.
///
/// The work is synchronous and CPU-bound (a fraction of a second for 100,000 rows; docs/performance.md).
package enum RecipientsCSV {
    /// How far the reading is, for a progress bar.
    package struct Progress: Sendable, Equatable {
        /// Bytes of the file read so far; the library reads up to 64 KiB ahead of the rows it returned.
        package var bytesRead: Int
        /// The file's size when it was opened (never less than `bytesRead`).
        package var totalBytes: Int
        /// Records after the header, blank lines not counted.
        package var rows: Int
    }

    /// `progress` is called after every this many rows, and once at the end with all bytes read.
    package static let progressInterval = 1_024

    /// Reads the file at `path`: its header finds the phone column (or `phoneColumn`), and each phone
    /// is normalized with `defaultCountryCode` (the unit's).
    package static func read(
        path: String,
        phoneColumn: String? = nil,
        defaultCountryCode: String,
        progress: (Progress) -> Void = { _ in }
    ) throws -> RecipientImport {
        let input = try CSVFileInput(path: path)
        let format = try CSVFileFormat.detect(head: input.head, path: path)
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: input, delimiter: format.separator)
        } catch {
            throw failure(error, line: 1, input: input)
        }

        var line = 1  // the line the next record starts on
        var skipSeparatorLine = format.hasSeparatorLine
        var recipients: RecipientImport?
        var rows = 0
        while true {
            let record = reader.next()
            if let error = reader.error {
                // The record is cut where the bad bytes are: the lines it spans end on theirs.
                throw failure(error, line: line + lineEnds(in: record ?? []), input: input)
            }
            guard let record else { break }
            if record.count == 1, record[0] == CSVFileInput.endMarker { break }
            if let last = record.last, last.utf8.last == 0, last.hasSuffix("\n" + CSVFileInput.endMarker) {
                throw CRMError.invalidInput(
                    "Line \(line) of '\(path)' opens a quoted field that is never closed: add the missing \" "
                        + "(a quote inside a quoted field is written twice: \"\")."
                )
            }
            let start = line
            line += 1 + lineEnds(in: record)
            if isBlank(record) { continue }
            if skipSeparatorLine {
                skipSeparatorLine = false
                continue
            }
            if recipients == nil {
                recipients = try RecipientImport(header: record, phoneColumn: phoneColumn, defaultCountryCode: defaultCountryCode)
                continue
            }
            recipients!.add(record, line: start)
            rows += 1
            if rows % progressInterval == 0 {
                progress(Progress(bytesRead: input.bytesRead, totalBytes: max(input.size, input.bytesRead), rows: rows))
            }
        }
        guard let recipients else {
            throw CRMError.invalidInput("'\(path)' is empty: it needs a header line (phone,name,…) and one line per recipient.")
        }
        guard rows > 0 else {
            throw CRMError.invalidInput("'\(path)' has a header line but no recipients: add one line per recipient below it.")
        }
        progress(Progress(bytesRead: input.bytesRead, totalBytes: max(input.size, input.bytesRead), rows: rows))
        return recipients
    }

    /// The line ends inside a record's fields (only a quoted field holds one): CRLF, LF or a lone CR each.
    static func lineEnds(in record: [String]) -> Int {
        var count = 0
        for field in record {
            var previous: UInt8 = 0
            for byte in field.utf8 {
                if byte == 0x0D || (byte == 0x0A && previous != 0x0D) { count += 1 }
                previous = byte
            }
        }
        return count
    }

    /// An empty line, a line of spaces, or a line of empty fields (`;;;`, as spreadsheets export them).
    private static func isBlank(_ record: [String]) -> Bool {
        record.allSatisfy { field in field.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } }
    }

    private static func failure(_ error: any Error, line: Int, input: CSVFileInput) -> CRMError {
        if case CSVError.unicodeDecoding = error {
            return .invalidInput(
                "Line \(line) of '\(input.path)' is not valid UTF-8 (it was saved in another encoding, such as Windows-1252): "
                    + "save the file as UTF-8 — in Excel or LibreOffice: Save As → \"CSV UTF-8\"."
            )
        }
        let reason = input.readErrno.map { String(cString: strerror($0)) } ?? "read error"
        return .invalidInput("Cannot read '\(input.path)' (\(reason)): check the file and try again.")
    }
}
