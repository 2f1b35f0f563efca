import Foundation

/// An approved message template of a simulated WhatsApp Business account: what Graph checks a
/// `type: template` send against (name and language, then the number of body parameters).
package struct MetaTemplate: Sendable, Hashable {
    package var name: String
    /// As approved: `pt_BR`, `en_US`.
    package var language: String
    /// The body with its variables `{{1}}`, `{{2}}`…
    package var body: String

    /// What every new WhatsApp Business account has: `hello_world` in `en_US`, no variables.
    package static let defaults = [MetaTemplate(name: "hello_world", language: "en_US", body: "Hello World")]

    package init(name: String, language: String, body: String) {
        self.name = name
        self.language = language
        self.body = body
    }

    /// `{"name", "language", "body"?}` of the control route; `nil` without a name and a language.
    init?(_ json: JSONValue) {
        guard let name = json["name"]?.stringValue, !name.isEmpty,
              let language = json["language"]?.stringValue, !language.isEmpty else { return nil }
        self.init(name: name, language: language, body: json["body"]?.stringValue ?? name)
    }

    /// How many distinct variables (`{{n}}`) the body has: the parameters a send must give.
    var parameterCount: Int {
        var numbers = Set<Int>()
        var rest = Substring(body)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            if let number = Int(rest[..<close.lowerBound]) { numbers.insert(number) }
            rest = rest[close.upperBound...]
        }
        return numbers.count
    }

    /// The body with `{{n}}` replaced by parameter n (1-based), as the contact reads it.
    func rendered(_ parameters: [String]) -> String {
        var text = body
        for (index, value) in parameters.enumerated() {
            text = text.replacingOccurrences(of: "{{\(index + 1)}}", with: value)
        }
        return text
    }
}
