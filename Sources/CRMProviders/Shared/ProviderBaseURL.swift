import CRMCore
import Foundation

/// A provider's API base URL as the adapters use it: http or https with a host, any path prefix
/// kept, trailing slashes dropped; and how to name it in messages (`scheme://host[:port]`, never a
/// path, which may hold a token, nor credentials).
struct ProviderBaseURL {
    let base: String
    let displayHost: String

    /// Throws `invalid` when `text` is not an http(s) URL with a host.
    init(_ text: String, invalid: @autoclosure () -> CRMError) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw invalid()
        }
        var base = trimmed
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        self.displayHost = "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}
