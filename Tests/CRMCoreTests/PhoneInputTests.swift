import CRMCore
import Testing

@Suite("Phone numbers typed by people")
struct PhoneInputTests {
    @Test(arguments: [
        ("+55 (11) 99876-5432", "5511998765432"), ("5511998765432", "5511998765432"), (" +1 415.555.0100 ", "14155550100"),
        ("44 20 7946 0958", "442079460958"), ("12345678", "12345678"), ("123456789012345", "123456789012345"),
    ])
    func digits(text: String, digits: String) throws {
        #expect(try PhoneInput.digits(text) == digits)
    }

    @Test(arguments: ["", "+", "maria", "5511abc98765", "1234567", "1234567890123456", "++5511998765432", "55 11 9876-5432 ext 2", "５５１１９９８７６５４３２"])
    func rejects(text: String) {
        #expect {
            try PhoneInput.digits(text)
        } throws: { error in
            guard let error = error as? CRMError else { return false }
            // Never echoes the input: it may be a whole phone number.
            return error.kind == .invalidInput && (text.count < 4 || !error.message.contains(text))
        }
    }
}
