import Foundation

/// A campaign's text with variables: `{{name}}`, `{{first_name}}`, any CSV column (`{{city}}`),
/// each with an optional default after a bar (`{{name|cliente}}`). Names are letters, digits and
/// underscores, compared without case; spaces inside the braces are allowed. Parsed once at create
/// time, so that a typo (`{{name}`) is an error there, not a message sent with braces in it.
package struct TextTemplate: Sendable, Equatable {
    package enum Part: Sendable, Equatable {
        case text(String)
        case variable(name: String, fallback: String?)
    }

    package let source: String
    package let parts: [Part]

    package init(_ source: String) throws {
        self.source = source
        var parts: [Part] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw CRMError.invalidInput("The text opens a variable with {{ and never closes it with }}: \(Self.excerpt(rest[open.lowerBound...])).")
            }
            let inside = rest[open.upperBound..<close.lowerBound]
            let pieces = inside.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pieces[0].trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw CRMError.invalidInput(
                    "'{{\(inside.prefix(40))}}' is not a variable: use letters, digits and _, with an optional default, as in {{name|cliente}}."
                )
            }
            let fallback = pieces.count > 1 ? pieces[1].trimmingCharacters(in: .whitespaces) : nil
            parts.append(.variable(name: name, fallback: fallback))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        self.parts = parts
    }

    /// The variables the text uses, in order of first use.
    package var variables: [String] {
        var seen = Set<String>()
        return parts.compactMap { part in
            guard case .variable(let name, _) = part, seen.insert(name).inserted else { return nil }
            return name
        }
    }

    /// The variables a recipient must have: those without a default.
    package var requiredVariables: [String] {
        var seen = Set<String>()
        return parts.compactMap { part in
            guard case .variable(let name, nil) = part, seen.insert(name).inserted else { return nil }
            return name
        }
    }

    /// The text for one recipient. `values` are keyed by lowercase name; an empty value counts as
    /// missing (a blank CSV cell), so the default applies. `first_name` comes from `name` when the
    /// recipient has no column of its own for it.
    package func render(_ values: [String: String]) throws(MissingVariables) -> String {
        var output = ""
        var missing: [String] = []
        for part in parts {
            switch part {
            case .text(let text):
                output += text
            case .variable(let name, let fallback):
                if let value = Self.value(of: name, in: values) {
                    output += value
                } else if let fallback {
                    output += fallback
                } else if !missing.contains(name) {
                    missing.append(name)
                }
            }
        }
        guard missing.isEmpty else { throw MissingVariables(names: missing) }
        return output
    }

    /// Called for each variable of each recipient (100,000 of them for a large file): `trimming`
    /// skips Foundation when there is nothing to trim, and the first name stops at the first space
    /// without breaking the text into characters.
    static func value(of name: String, in values: [String: String]) -> String? {
        if let value = values[name]?.trimming(.whitespacesAndNewlines), !value.isEmpty { return value }
        if name == "first_name", let full = values["name"]?.trimming(.whitespacesAndNewlines) {
            // By scalar: a white space scalar always starts a character of its own.
            let scalars = full.unicodeScalars
            if let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) {
                return String(scalars[start..<(scalars[start...].firstIndex(where: \.properties.isWhitespace) ?? scalars.endIndex)])
            }
        }
        return nil
    }

    private static func excerpt(_ text: Substring) -> String {
        text.count > 30 ? "'\(text.prefix(30))…'" : "'\(text)'"
    }
}

/// Variables a recipient lacks that have no default.
package struct MissingVariables: Error, Sendable, Equatable {
    package let names: [String]

    package init(names: [String]) {
        self.names = names
    }
}
