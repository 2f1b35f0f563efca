import CRMCore
import CRMImport
import Foundation
import Testing

/// The forms a recipients file comes in, each read from a real file.
@Suite("Recipients CSV: formats and line numbers")
struct RecipientsCSVFormatTests {
    @Test("comma separated, LF, no BOM: fields by header, lines from 2")
    func plainComma() throws {
        let files = try CSVFiles()
        let imported = try files.read("phone,name,city\n11 99876-0001,Maria,Campinas\n(21) 98765-0002,João,Rio\n")
        #expect(imported.recipients.map(\.phone) == ["5511998760001", "5521987650002"])
        #expect(imported.recipients.map(\.line) == [2, 3])
        #expect(imported.recipients[1].name == "João")
        #expect(imported.recipients[0].variables["city"] == "Campinas")
        #expect(imported.rejected.isEmpty && imported.duplicates == 0)
    }

    @Test("Excel's Brazilian export: BOM, semicolons, CRLF, quoted fields holding ; and doubled quotes")
    func excelSemicolons() throws {
        let files = try CSVFiles()
        let text = "\u{FEFF}Telefone;Nome;Cidade\r\n"
            + "11 99876-0001;\"Silva; Maria\";\"São Paulo\"\r\n"
            + "11 99876-0002;\"Ana \"\"Aninha\"\" Souza\";Santos\r\n"
            + "11 99876-0003;Bia;\"Campinas, SP\"\r\n"
        let imported = try files.read(text)
        #expect(imported.recipients.map(\.name) == ["Silva; Maria", "Ana \"Aninha\" Souza", "Bia"])
        // The BOM is not part of the first header name: "telefone" was found.
        #expect(imported.recipients.map(\.phone) == ["5511998760001", "5511998760002", "5511998760003"])
        #expect(imported.recipients.map { $0.variables["cidade"] } == ["São Paulo", "Santos", "Campinas, SP"])
        #expect(imported.recipients.map(\.line) == [2, 3, 4])
    }

    @Test("the separator is the one the header uses outside quotes; a tab works too")
    func separatorDetection() throws {
        let files = try CSVFiles()
        // Commas inside the quoted header name do not count: the file is semicolon separated.
        let semicolons = try files.read("\"name, full\";phone;city\nMaria, Silva;11 99876-0001;Rio\n")
        #expect(semicolons.recipients.first?.variables["name, full"] == "Maria, Silva")
        #expect(semicolons.recipients.first?.phone == "5511998760001")
        let tabs = try files.read("whatsapp\tnome\n11 99876-0001\tMaria, Silva; Jr\n")
        #expect(tabs.recipients.first?.name == "Maria, Silva; Jr")
        // A single column: no separator at all.
        let single = try files.read("phone\n11 99876-0001\n11 99876-0002\n")
        #expect(single.recipients.count == 2)
    }

    @Test("Excel's sep= first line names the separator and is not the header")
    func separatorLine() throws {
        let files = try CSVFiles()
        let imported = try files.read("sep=;\nphone;name\n11 99876-0001;Maria, Silva\n99;Bia\n")
        #expect(imported.recipients.first?.name == "Maria, Silva")
        #expect(imported.recipients.first?.line == 3)
        #expect(imported.rejected.map(\.line) == [4])
    }

    @Test("line numbers count newlines inside quoted fields (LF and CRLF) and blank lines")
    func lineNumbers() throws {
        let files = try CSVFiles()
        let text = "phone,name,note\r\n"  // 1
            + "11 99876-0001,Maria,\"first line\r\nsecond line\r\nthird\"\r\n"  // 2-4
            + "\r\n"  // 5: blank
            + "not a phone,Ana,x\r\n"  // 6
            + "11 99876-0003,\"Bia\nSouza\",\"a\n\nb\"\r\n"  // 7-10
            + "   \r\n"  // 11: spaces only
            + ",,\r\n"  // 12: empty fields, as spreadsheets export a blank row
            + ",Carla,no phone\r\n"  // 13
            + "11 99876-0001,Maria again,\r\n"  // 14: duplicate of line 2
            + "11 99876-0004,Dora,last"  // 15, no line end
        let imported = try files.read(text)
        #expect(imported.recipients.map(\.line) == [2, 7, 15])
        #expect(imported.recipients[0].variables["note"] == "first line\r\nsecond line\r\nthird")
        #expect(imported.recipients[1].name == "Bia\nSouza")
        #expect(imported.recipients[2].variables["note"] == "last")
        #expect(imported.rejected.map(\.line) == [6, 13])
        #expect(imported.rejected.map(\.reason) == ["'not ***hone' is not a phone number", "no phone number"])
        #expect(imported.duplicates == 1)
    }

    @Test("blank lines before the header move it; lone CR line ends (old Mac exports) count as lines")
    func leadingBlankLinesAndCR() throws {
        let files = try CSVFiles()
        let imported = try files.read("\n\n phone,name\n11 99876-0001,Maria\n")
        #expect(imported.recipients.map(\.line) == [4])
        let mac = try files.read("phone,name\r11 99876-0001,Maria\r\"x\ry\",Ana\r11 99876-0002,Bia\r")
        #expect(mac.rejected.map(\.line) == [3])
        #expect(mac.recipients.map(\.line) == [2, 5])
    }

    @Test("trailing empty fields and rows longer or shorter than the header are tolerated")
    func ragged() throws {
        let files = try CSVFiles()
        let imported = try files.read("phone;name;city;;\n11 99876-0001;Maria;;;\n11 99876-0002;Ana\n11 99876-0003;Bia;Rio;x;y;z\n")
        #expect(imported.recipients.map(\.name) == ["Maria", "Ana", "Bia"])
        #expect(imported.recipients[0].variables == ["phone": "11 99876-0001", "name": "Maria"])
        #expect(imported.recipients[2].variables["city"] == "Rio")
        #expect(imported.rejected.isEmpty)
    }

    @Test("cells are trimmed of spaces, tabs, no-break spaces and quoted newlines; inner spaces stay")
    func trimmedCells() throws {
        let files = try CSVFiles()
        let imported = try files.read("phone;name;city\n  11 99876-0001\t; Maria Silva ;\u{00A0}São Paulo\u{00A0}\n\u{00A0}+55 21 98765-0002;\"\nAna\n\";Rio\n")
        #expect(imported.recipients.map(\.phone) == ["5511998760001", "5521987650002"])
        #expect(imported.recipients.map(\.name) == ["Maria Silva", "Ana"])
        #expect(imported.recipients[0].variables["city"] == "São Paulo")
        #expect(imported.recipients[0].variables["phone"] == "11 99876-0001")
    }

    @Test("--phone-column picks the column; the country is the unit's")
    func phoneColumnAndCountry() throws {
        let files = try CSVFiles()
        let path = try files.write("cliente,contato\nMaria,912 345 678\n")
        let imported = try RecipientsCSV.read(path: path, phoneColumn: "Contato", defaultCountryCode: "351")
        #expect(imported.recipients.map(\.phone) == ["351912345678"])
    }

    @Test("a field longer than the 64 KiB read chunk, and records across chunk boundaries, read whole")
    func chunkBoundaries() throws {
        let files = try CSVFiles()
        let long = String(repeating: "ção ", count: 30_000)  // 150,000 bytes
        var text = "phone,name,note\n11 99876-0001,Maria,\"\(long)\nend\"\n"
        for row in 2...3_000 { text += "11 9\(String(8_760_000 + row)),Nome \(row),\"a,\nb\"\n" }
        let imported = try files.read(text)
        #expect(imported.recipients.count == 3_000)
        #expect(imported.recipients[0].variables["note"] == long + "\nend")
        #expect(imported.recipients[1].line == 4)
        #expect(imported.recipients.last?.line == 2 + 2 + 2 * 2_998)
        #expect(imported.recipients.last?.variables["note"] == "a,\nb")
    }
}
