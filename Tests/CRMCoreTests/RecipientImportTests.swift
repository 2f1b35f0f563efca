import CRMCore
import Foundation
import Testing

@Suite("Campaign recipient import")
struct RecipientImportTests {
    @Test("phones normalized with the unit's country, invalid ones set aside by line, duplicates collapsed")
    func rows() throws {
        var recipients = try RecipientImport(header: [" Nome ", "Telefone", "Cidade", ""], defaultCountryCode: "55")
        recipients.add(["Maria Silva", "+55 (11) 99876-5432", "Campinas", "x"], line: 2)
        recipients.add(["João", "011 99876-5432", "Santos"], line: 3)  // the same number, written otherwise
        recipients.add(["Ana", "5511998765432123456", "Rio"], line: 4)  // 19 digits
        recipients.add(["Bia", "", "Rio"], line: 6)  // line 5 was inside a quoted field of line 4
        recipients.add(["", "21 98765-4321"], line: 7)  // short row: no name, no city
        #expect(recipients.recipients.map(\.phone) == ["5511998765432", "5521987654321"])
        #expect(recipients.recipients.map(\.line) == [2, 7])
        #expect(recipients.recipients[0].variables == ["nome": "Maria Silva", "name": "Maria Silva", "telefone": "+55 (11) 99876-5432", "cidade": "Campinas"])
        #expect(recipients.recipients[0].name == "Maria Silva")
        #expect(recipients.recipients[1].name == nil && recipients.recipients[1].variables["name"] == nil)
        #expect(recipients.duplicates == 1)
        #expect(recipients.rejected.map(\.line) == [4, 6])
        // The refused number is not repeated in full.
        #expect(!recipients.rejected[0].reason.contains("5511998765432123456"))
        #expect(recipients.rejected[0].reason.contains("not a phone number"))
    }

    @Test("the phone column: the usual names in order, --phone-column, or a clear refusal")
    func phoneColumn() throws {
        #expect(throws: Never.self) { try RecipientImport(header: ["WhatsApp", "name"], defaultCountryCode: "55") }
        var custom = try RecipientImport(header: ["cliente", "contato"], phoneColumn: "Contato", defaultCountryCode: "55")
        custom.add(["Maria", "11 99876-5432"], line: 2)
        #expect(custom.recipients.first?.phone == "5511998765432")
        let error = try #require(throws: CRMError.self) { try RecipientImport(header: ["cliente", "contato"], defaultCountryCode: "55") }
        #expect(error.message.contains("--phone-column") && error.message.contains("'contato'"))
        #expect(throws: CRMError.self) { try RecipientImport(header: ["phone"], phoneColumn: "fone", defaultCountryCode: "55") }
    }

    @Test("rows the text cannot be written for are listed with their lines and the missing names")
    func unrenderable() throws {
        var recipients = try RecipientImport(header: ["phone", "name", "code"], defaultCountryCode: "55")
        recipients.add(["11 99876-0001", "Maria", "A1"], line: 2)
        recipients.add(["11 99876-0002", "", "A2"], line: 3)
        recipients.add(["11 99876-0003", "Ana", ""], line: 4)
        let template = try TextTemplate("Olá {{first_name}}, seu cupom é {{code}}")
        let found = recipients.unrenderable(with: template)
        #expect(found.map(\.line) == [3, 4])
        #expect(found.map(\.missing) == [["first_name"], ["code"]])
        #expect(recipients.unrenderable(with: try TextTemplate("Olá {{first_name|cliente}}, {{code|sem cupom}}")).isEmpty)
        #expect(recipients.unrenderable(with: template, limit: 1).count == 1)
    }
}
