import CRMCore
import CRMImport
import Foundation
import Testing

@Suite("Recipients CSV: a large file")
struct RecipientsCSVLargeFileTests {
    @Test("20,000 rows over many read chunks: counts, spot rows, lines, progress up to the whole file")
    func twentyThousandRows() throws {
        let files = try CSVFiles()
        let rows = 20_000
        var text = "\u{FEFF}telefone;nome;cidade\r\n"
        for row in 1...rows {
            let phone: String
            if row % 1_000 == 0 {
                phone = "12345"  // invalid: 20 rows
            } else if row % 250 == 0 {
                phone = "+55 (11) 9\(10_000_000 + row - 1)"  // the previous row's number: 80 - 20 = 60 duplicates
            } else {
                phone = "11 9\(10_000_000 + row)"
            }
            let city = row % 10 == 0 ? "\"Cidade\n\(row); SP\"" : "Cidade \(row)"  // every 10th spans two lines
            text += "\(phone);Cliente \(row);\(city)\r\n"
        }
        let path = try files.write(text)
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)

        var reports: [RecipientsCSV.Progress] = []
        let imported = try RecipientsCSV.read(path: path, defaultCountryCode: "55") { reports.append($0) }

        #expect(imported.rejected.count == 20)
        #expect(imported.duplicates == 60)
        #expect(imported.recipients.count == rows - 20 - 60)
        // The line of row r: 1 + r + the rows before it that span two lines.
        func line(ofRow row: Int) -> Int { 1 + row + (row - 1) / 10 }
        #expect(imported.rejected.first?.line == line(ofRow: 1_000))
        #expect(imported.rejected.last?.line == line(ofRow: 20_000))
        let first = imported.recipients[0]
        #expect(first.phone == "5511910000001" && first.name == "Cliente 1" && first.line == 2)
        #expect(first.variables == ["telefone": "11 910000001", "nome": "Cliente 1", "cidade": "Cidade 1", "name": "Cliente 1"])
        let row12345 = try #require(imported.recipients.first { $0.name == "Cliente 12345" })
        #expect(row12345.phone == "5511910012345" && row12345.line == line(ofRow: 12_345))
        let row19990 = try #require(imported.recipients.first { $0.name == "Cliente 19990" })
        #expect(row19990.variables["cidade"] == "Cidade\n19990; SP" && row19990.line == line(ofRow: 19_990))

        #expect(reports.map(\.rows) == Array(stride(from: 1_024, through: rows, by: 1_024)) + [rows])
        #expect(reports.allSatisfy { $0.totalBytes == size })
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.bytesRead <= $1.bytesRead })
        #expect(reports.first!.bytesRead < size)
        #expect(reports.last?.bytesRead == size)
    }
}
