import Foundation

/// The short, URL-safe name of a unit: lowercase ASCII letters and digits separated by single hyphens.
package enum Slug {
    package static let maxLength = 63

    /// Derives a slug from a display name: accents folded, everything else that is not a letter or
    /// a digit turned into a hyphen. "São Paulo Centro" → "sao-paulo-centro". Nil when nothing is left.
    package static func derive(from name: String) -> String? {
        var ascii = ""
        for scalar in name.decomposedStringWithCompatibilityMapping.unicodeScalars {
            if let folded = foldedLetters[scalar] {
                ascii += folded
            } else if scalar.isASCII {
                ascii.unicodeScalars.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue  // the accent of a decomposed letter
            } else {
                ascii += " "
            }
        }
        var slug = ""
        var pendingHyphen = false
        for character in ascii.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                if pendingHyphen && !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug.append(character)
            } else {
                pendingHyphen = true
            }
        }
        while slug.count > maxLength {
            slug = String(slug.prefix(maxLength))
            while slug.hasSuffix("-") { slug.removeLast() }
        }
        return slug.isEmpty ? nil : slug
    }

    /// Checks a slug that a user typed; returns it lowercased.
    package static func validate(_ text: String) throws -> String {
        let slug = text.trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = slug.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        guard !slug.isEmpty, slug.count <= maxLength, allowed, !slug.hasPrefix("-"), !slug.hasSuffix("-"),
            !slug.contains("--")
        else {
            throw CRMError.invalidInput(
                "Invalid slug '\(text)': use 1 to \(maxLength) lowercase letters, digits and single hyphens, "
                    + "such as 'sao-paulo-centro'."
            )
        }
        return slug
    }

    /// Letters that Unicode decomposition does not split into a base letter and an accent.
    private static let foldedLetters: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D",
        "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i",
    ]
}
