import CRMCore
import CRMImport
import Foundation

/// Real files in a folder of their own, removed when the test ends.
struct CSVFiles: ~Copyable {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-csv-tests-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Writes `bytes` as they are (no BOM, no newline added) and returns the path.
    func write(_ bytes: [UInt8], name: String = "recipients.csv") throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func write(_ text: String, name: String = "recipients.csv") throws -> String {
        try write(Array(text.utf8), name: name)
    }

    /// Reads `text` written to a file, with Brazil's country code.
    func read(_ text: String, phoneColumn: String? = nil) throws -> RecipientImport {
        try RecipientsCSV.read(path: write(text), phoneColumn: phoneColumn, defaultCountryCode: "55")
    }
}
