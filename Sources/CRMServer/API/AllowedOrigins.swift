import CRMCore
import Foundation

/// The browser origins allowed to call the HTTP API (`CORS_ORIGINS`, none by default): exact
/// `scheme://host[:port]` values, or `*` for any origin. The API authenticates with bearer tokens,
/// never cookies, so credentials are not allowed cross-origin either way.
package struct AllowedOrigins: Sendable, Equatable {
    package static let variable = "CORS_ORIGINS"

    package let origins: Set<String>
    package let allowsAny: Bool

    package static let none = AllowedOrigins(origins: [], allowsAny: false)

    private init(origins: Set<String>, allowsAny: Bool) {
        self.origins = origins
        self.allowsAny = allowsAny
    }

    /// Parses a comma-separated list; throws a configuration error naming the first bad entry.
    package init(parsing text: String) throws {
        var origins = Set<String>()
        var any = false
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            if entry == "*" {
                any = true
                continue
            }
            let origin = entry.hasSuffix("/") ? String(entry.dropLast()) : entry
            guard let components = URLComponents(string: origin), let scheme = components.scheme?.lowercased(),
                  ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty,
                  components.path.isEmpty, components.query == nil, components.user == nil
            else {
                throw CRMError.configuration(
                    "\(Self.variable): '\(entry.prefix(80))' is not an origin: write scheme://host[:port] (e.g. https://app.example.com), "
                        + "comma-separated, or * for any.")
            }
            let port = components.port.map { ":\($0)" } ?? ""
            origins.insert("\(scheme)://\(host.lowercased())\(port)")
        }
        self.init(origins: origins, allowsAny: any)
    }

    /// The `Access-Control-Allow-Origin` value for a request's `Origin`, `nil` when not allowed.
    package func allowOrigin(for origin: String) -> String? {
        if allowsAny { return "*" }
        return origins.contains(origin.lowercased()) ? origin : nil
    }

    package var isEmpty: Bool { origins.isEmpty && !allowsAny }
}
