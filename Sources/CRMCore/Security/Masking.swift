import Foundation

/// Masks values before they reach a log line or an error message.
package enum Masking {
    /// "5511998764321" → "5511*****4321": country and area code stay readable, the subscriber does not.
    package static func phone(_ digits: String) -> String {
        let characters = Array(digits)
        guard characters.count > 8 else { return String(repeating: "*", count: max(characters.count - 2, 0)) + String(characters.suffix(2)) }
        let head = characters.prefix(4)
        let tail = characters.suffix(4)
        return String(head) + String(repeating: "*", count: characters.count - 8) + String(tail)
    }

    /// Shows only the last 4 characters of a secret, and nothing of a short one.
    package static func secret(_ value: String) -> String {
        guard value.count > 8 else { return "****" }
        return "****" + value.suffix(4)
    }

    /// Replaces the password of a URL's user-info ("postgres://crm:s3cret@db/crm" → "postgres://crm:****@db/crm").
    package static func urlPassword(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@") else { return url }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<schemeEnd.upperBound]) + rest[..<colon] + ":****" + rest[at...]
    }
}
