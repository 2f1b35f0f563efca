import Foundation

/// A phone number as a person types it ("+55 (11) 99876-5432") turned into the digits contacts are
/// stored with ("5511998765432"). Nothing is added: the country code must be part of the input.
package enum PhoneInput {
    /// The digits of `text`, which may hold spaces, dashes, dots, parentheses and one leading plus.
    /// Errors never repeat the input: it may be a whole phone number.
    package static func digits(_ text: String) throws -> String {
        var trimmed = Substring(text.trimmingCharacters(in: .whitespaces))
        if trimmed.first == "+" { trimmed = trimmed.dropFirst() }
        var digits = ""
        for character in trimmed {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !" -.()".contains(character) {
                throw invalid
            }
        }
        guard (8...15).contains(digits.count) else { throw invalid }
        return digits
    }

    private static let invalid = CRMError.invalidInput(
        "A phone number must be 8 to 15 digits with the country code, such as +55 11 99876-5432 "
            + "(spaces, dashes, dots and parentheses are ignored)."
    )
}
