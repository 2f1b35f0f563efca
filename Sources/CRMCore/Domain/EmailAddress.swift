import Foundation

/// Email addresses of users. Kept as typed; compared without regard to case.
package enum EmailAddress {
    package static let maxLength = 254

    /// Checks the shape of an address (local@domain.tld, ASCII, no spaces) and trims surrounding spaces.
    /// Internationalized addresses are refused: the database compares emails with lower(), which folds ASCII only.
    package static func validate(_ text: String) throws -> String {
        let email = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let problem = "Invalid email '\(text.prefix(80))': use an address such as ana@example.com."
        guard !email.isEmpty, email.count <= maxLength, email.unicodeScalars.allSatisfy({ $0.isASCII }) else {
            throw CRMError.invalidInput(problem)
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw CRMError.invalidInput(problem) }
        let local = parts[0]
        let domain = parts[1]
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let localOK = !local.isEmpty && local.count <= 64
            && local.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && !"\"(),:;<>[\\]".unicodeScalars.contains($0) }
            && !local.hasPrefix(".") && !local.hasSuffix(".") && !local.contains("..")
        let domainOK = labels.count >= 2 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" }
        }
        guard localOK, domainOK else { throw CRMError.invalidInput(problem) }
        return email
    }
}
