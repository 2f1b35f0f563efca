import CRMCore
import CRMImport
import Foundation
import Testing

/// Files that cannot be read: each gives one `invalidInput` error that names the file, the line where
/// it has one, and what to do.
@Suite("Recipients CSV: errors")
struct RecipientsCSVErrorTests {
    private func error(_ files: borrowing CSVFiles, _ bytes: [UInt8]) throws -> CRMError {
        let path = try files.write(bytes)
        let error = try #require(throws: CRMError.self) { try RecipientsCSV.read(path: path, defaultCountryCode: "55") }
        #expect(error.kind == .invalidInput)
        return error
    }

    private func error(_ files: borrowing CSVFiles, _ text: String) throws -> CRMError {
        try error(files, Array(text.utf8))
    }

    @Test("a missing file and a folder are named")
    func missing() throws {
        let files = try CSVFiles()
        let path = files.folder.appendingPathComponent("nope.csv").path
        let missing = try #require(throws: CRMError.self) { try RecipientsCSV.read(path: path, defaultCountryCode: "55") }
        #expect(missing.kind == .invalidInput)
        #expect(missing.message == "There is no file at '\(path)': check the path.")
        let folder = try #require(throws: CRMError.self) {
            try RecipientsCSV.read(path: files.folder.path, defaultCountryCode: "55")
        }
        #expect(folder.message.contains("is a folder"))
    }

    @Test("an empty file, blank lines only, a header without rows")
    func empty() throws {
        let files = try CSVFiles()
        for text in ["", "\u{FEFF}", "\n\r\n  \n"] {
            let error = try error(files, text)
            #expect(error.message.contains("is empty: it needs a header line"), "\(text.debugDescription)")
        }
        #expect(try error(files, "phone,name\n\n").message.contains("has a header line but no recipients"))
    }

    @Test("a header without a phone column: RecipientImport's words")
    func noPhoneColumn() throws {
        let files = try CSVFiles()
        let error = try error(files, "cliente;cidade\nMaria;Rio\n")
        #expect(error.message.contains("no phone column") && error.message.contains("--phone-column"))
        #expect(error.message.contains("'cliente', 'cidade'"))
    }

    @Test("bytes that are not UTF-8 (Windows-1252 'São Paulo'): the line, and save as UTF-8")
    func latin1() throws {
        let files = try CSVFiles()
        var bytes = Array("phone,name,city\n11 99876-0001,Maria,\"Rio\nde Janeiro\"\n11 99876-0002,Ana,\"Campinas\n".utf8)
        bytes += [0x53, 0xE3, 0x6F] + Array(" Paulo\"\n11 99876-0003,Bia,Rio\n".utf8)  // "São" in Windows-1252
        let error = try error(files, bytes)
        // The record starts on line 4; the bad byte is on line 5, inside its quoted field.
        #expect(error.message.hasPrefix("Line 5 of '"))
        #expect(error.message.contains("save the file as UTF-8"))
        let header = try self.error(files, [0x74, 0x65, 0x6C, 0xE9, 0x66, 0x6F, 0x6E, 0x65, 0x0A])  // "teléfone", Latin-1
        #expect(header.message.hasPrefix("Line 1 of '"))
    }

    @Test("a quote that is never closed: the line its record starts on")
    func unclosedQuote() throws {
        let files = try CSVFiles()
        let error = try error(files, "phone,name\r\n11 99876-0001,Maria\r\n11 99876-0002,\"Ana\r\n11 99876-0003,Bia\r\n")
        #expect(error.message.hasPrefix("Line 3 of '"))
        #expect(error.message.contains("never closed"))
        // A quote closed at the very end of the file is fine.
        let closed = try files.read("phone,name\n11 99876-0001,\"Maria\nSilva\"")
        #expect(closed.recipients.first?.name == "Maria\nSilva")
    }

    @Test("files that are not CSV text: a spreadsheet, UTF-16, binary")
    func notText() throws {
        let files = try CSVFiles()
        let xlsx = try error(files, [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00] + Array("[Content_Types].xml".utf8))
        #expect(xlsx.message.contains("spreadsheet") && xlsx.message.contains("CSV UTF-8"))
        let utf16 = try error(files, [0xFF, 0xFE] + Array("phone\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        #expect(utf16.message.contains("UTF-16"))
        let png = try error(files, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D])
        #expect(png.message.contains("is not a text file"))
        for message in [xlsx.message, utf16.message, png.message] {
            #expect(message.contains(files.folder.path))
        }
    }
}
