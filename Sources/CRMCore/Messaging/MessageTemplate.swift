import Foundation

/// An approved WhatsApp message template to send (Meta Cloud API only): its name, its language
/// and the values of its body variables `{{1}}`, `{{2}}`… in order. Meta delivers templates
/// outside the 24-hour customer service window, where it refuses free text.
///
/// Stored with the message (the `messages.template` column, as JSON), so that the same client
/// message id with other parameters is a conflict and a queued template is sent as one later.
package struct MessageTemplate: Sendable, Hashable, Codable {
    /// As created in WhatsApp Manager: lowercase letters, digits and underscores.
    package var name: String
    /// The template's language code, as approved: `pt_BR`, `en_US`, `es`.
    package var language: String
    /// Body parameters, sent as `type: text` in order.
    package var parameters: [String]

    /// Meta's limits: a name of at most 512 characters; a body (with its values) of at most 1,024.
    package static let maxNameLength = 512
    package static let maxParameterLength = 1_024

    package init(name: String, language: String, parameters: [String] = []) {
        self.name = name
        self.language = language
        self.parameters = parameters
    }

    /// Checks the name, the language code and the values before anything is stored; the
    /// messages name the command-line options.
    package func validated() throws -> MessageTemplate {
        guard !name.isEmpty, name.count <= Self.maxNameLength,
              name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else {
            throw CRMError.invalidInput(
                "The template name '\(name.prefix(60))' is not a WhatsApp template name (lowercase letters, digits and _): "
                    + "give it as WhatsApp Manager shows it.")
        }
        guard Self.isLanguageCode(language) else {
            throw CRMError.invalidInput(
                "The language '\(language.prefix(20))' is not a template language code: give it as WhatsApp Manager shows it, e.g. pt_BR or en_US.")
        }
        for (index, value) in parameters.enumerated() {
            guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CRMError.invalidInput("Template parameter \(index + 1) is empty: WhatsApp refuses empty values.")
            }
            guard value.count <= Self.maxParameterLength else {
                throw CRMError.invalidInput(
                    "Template parameter \(index + 1) has \(value.count) characters; a template body takes at most \(Self.maxParameterLength).")
            }
            // Meta refuses a text parameter with a new line or a tab (error 132018).
            guard !value.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) else {
                throw CRMError.invalidInput("Template parameter \(index + 1) contains a new line or a tab, which WhatsApp refuses in a parameter.")
            }
        }
        return self
    }

    /// What the stored message's body shows of it: `template order_update (pt_BR): Maria | 1042`.
    package var summary: String {
        let head = "template \(name) (\(language))"
        return parameters.isEmpty ? head : head + ": " + parameters.joined(separator: " | ")
    }

    /// `en`, `pt_BR`, `zh_HK`, `es_419`: two or three letters, then an optional `_` region.
    static func isLanguageCode(_ code: String) -> Bool {
        let parts = code.split(separator: "_", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let base = parts.first, (2...3).contains(base.count),
              base.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else { return false }
        guard parts.count == 2 else { return true }
        let region = parts[1]
        return (2...4).contains(region.count) && region.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
