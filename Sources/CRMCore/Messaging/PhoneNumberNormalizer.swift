import Foundation

/// Turns a phone number as people write it into the digits WhatsApp addresses (country code
/// first), using the unit's default country for national numbers:
/// "+55 (11) 99876-5432", "5511998765432" and "011 99876-5432" (country 55) all give 5511998765432.
package enum PhoneNumberNormalizer {
    /// - `+` or `00` first: international, taken as written.
    /// - `0` first: a national trunk prefix (Brazil: 0 + area code), dropped, then the country added.
    /// - Already starting with the country code and long enough to hold a national number: as written.
    /// - Otherwise: a national number, the country code added.
    /// Throws `CRMError.invalidInput` (without repeating the input) unless 8 to 15 digits result.
    package static func normalize(_ text: String, defaultCountryCode: String) throws -> String {
        var rest = Substring(text.trimming(.whitespaces))
        var international = false
        if rest.first == "+" {
            international = true
            rest = rest.dropFirst()
        }
        var digits = ""
        for character in rest {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !" -.()/".contains(character) {
                throw invalid
            }
        }
        if !international, digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        }
        if !international {
            if digits.hasPrefix("0") {
                digits = defaultCountryCode + String(digits.drop { $0 == "0" })
            } else if !(digits.hasPrefix(defaultCountryCode) && digits.count >= defaultCountryCode.count + 10) {
                digits = defaultCountryCode + digits
            }
        }
        guard (8...15).contains(digits.count), digits.first != "0" else { throw invalid }
        return digits
    }

    private static let invalid = CRMError.invalidInput(
        "Invalid phone number: give it with its country code (+55 11 99876-5432) or as a national number of the unit's "
            + "country (11 99876-5432)."
    )
}
