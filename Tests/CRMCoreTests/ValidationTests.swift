import CRMCore
import Foundation
import Testing

@Suite("Input validation")
struct ValidationTests {
    @Test(arguments: ["ana@example.com", "Ana.Maria+crm@sub.example.com.br", " x@y.io "])
    func validEmails(email: String) throws {
        #expect(try EmailAddress.validate(email) == email.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: [
        "", "ana", "ana@", "@example.com", "ana@example", "a b@example.com", "ana@@example.com", "ana@exa mple.com",
        "josé@example.com", ".ana@example.com", "ana..b@example.com", "ana@-example.com", "ana@example..com",
    ])
    func invalidEmails(email: String) {
        #expect(throws: CRMError.self) { try EmailAddress.validate(email) }
    }

    @Test func names() throws {
        #expect(try UnitSettings.validateName("  Café ☕  ") == "Café ☕")
        #expect(try UnitSettings.validateName(String(repeating: "é", count: 200)).count == 200)
        #expect(throws: CRMError.self) { try UnitSettings.validateName(String(repeating: "é", count: 201)) }
        #expect(throws: CRMError.self) { try UnitSettings.validateName("\t") }
        #expect(throws: CRMError.self) { try UnitSettings.validateName("a\u{0007}b") }
    }

    @Test func countryCodesAndTimezones() throws {
        #expect(try UnitSettings.validateCountryCode("+55") == "55")
        #expect(try UnitSettings.validateCountryCode("1") == "1")
        for bad in ["", "0", "055", "1234", "5a"] {
            #expect(throws: CRMError.self) { try UnitSettings.validateCountryCode(bad) }
        }
        #expect(try UnitSettings.validateTimezone("Europe/Lisbon") == "Europe/Lisbon")
        #expect(throws: CRMError.self) { try UnitSettings.validateTimezone("Mars/Olympus") }
    }

    @Test func roles() throws {
        #expect(try Role(parsing: "super-admin") == .superAdmin)
        #expect(try Role(parsing: " UNIT_ADMIN ") == .unitAdmin)
        #expect(try Role(parsing: "agent") == .agent)
        #expect(!Role.superAdmin.needsUnit && Role.agent.needsUnit)
        #expect(throws: CRMError.self) { try Role(parsing: "owner") }
    }

    @Test func passwords() throws {
        try PasswordPolicy.validate("12345678")
        try PasswordPolicy.validate(String(repeating: "a", count: 72))
        #expect(throws: CRMError.self) { try PasswordPolicy.validate("1234567") }
        #expect(throws: CRMError.self) { try PasswordPolicy.validate(String(repeating: "a", count: 73)) }
        // 36 two-byte characters are 72 bytes; 37 are too many for bcrypt.
        try PasswordPolicy.validate(String(repeating: "é", count: 36))
        #expect(throws: CRMError.self) { try PasswordPolicy.validate(String(repeating: "é", count: 37)) }
    }
}
