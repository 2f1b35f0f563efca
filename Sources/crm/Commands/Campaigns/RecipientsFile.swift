import CRMCore
import CRMImport
import Foundation

/// Reads a recipients CSV (`CRMImport.RecipientsCSV`), with a progress bar on stderr when it is a
/// terminal: 100,000 rows take about a second.
enum RecipientsFile {
    static func read(_ path: String, phoneColumn: String?, defaultCountryCode: String) throws -> RecipientImport {
        let interactive = Terminal.stderrIsTerminal
        var lastDrawn = Date.distantPast
        let imported = try RecipientsCSV.read(path: path, phoneColumn: phoneColumn, defaultCountryCode: defaultCountryCode) { progress in
            guard interactive, Date().timeIntervalSince(lastDrawn) >= 0.1 || progress.bytesRead == progress.totalBytes else { return }
            lastDrawn = Date()
            let fraction = progress.totalBytes == 0 ? 1 : Double(progress.bytesRead) / Double(progress.totalBytes)
            let filled = Int((fraction * 20).rounded(.down))
            let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled) + "]"
            FileHandle.standardError.write(Data("\r\u{1B}[Kreading \(bar) \(Int(fraction * 100))% · \(progress.rows) rows".utf8))
        }
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        return imported
    }
}
