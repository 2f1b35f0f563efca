import Foundation

/// Rules for the display name, country code and time zone of a unit.
package enum UnitSettings {
    package static let maxNameLength = 200
    package static let defaultCountryCode = "55"
    package static let defaultTimezone = "America/Sao_Paulo"

    /// A display name: any characters (quotes, emoji, accents), 1 to 200 of them, no control characters.
    package static func validateName(_ text: String, what: String = "Unit name") throws -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else {
            throw CRMError.invalidInput("\(what) is empty: give a name of 1 to \(maxNameLength) characters.")
        }
        guard name.count <= maxNameLength else {
            throw CRMError.invalidInput(
                "\(what) has \(name.count) characters: the limit is \(maxNameLength)."
            )
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw CRMError.invalidInput("\(what) contains control characters (such as a newline or tab): remove them.")
        }
        return name
    }

    /// A country calling code: 1 to 3 digits, no leading zero, an optional '+'.
    package static func validateCountryCode(_ text: String) throws -> String {
        var code = text.trimmingCharacters(in: .whitespaces)
        if code.hasPrefix("+") { code.removeFirst() }
        guard (1...3).contains(code.count), code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber),
            !code.hasPrefix("0")
        else {
            throw CRMError.invalidInput("Invalid country code '\(text)': use 1 to 3 digits, such as 55 or 1.")
        }
        return code
    }

    /// An IANA time zone identifier known to this system, such as America/Sao_Paulo.
    package static func validateTimezone(_ text: String) throws -> String {
        let identifier = text.trimmingCharacters(in: .whitespaces)
        guard !identifier.isEmpty, TimeZone(identifier: identifier) != nil else {
            throw CRMError.invalidInput(
                "Unknown time zone '\(text)': use an IANA name such as America/Sao_Paulo or Europe/Lisbon."
            )
        }
        return identifier
    }
}
