import Foundation

/// The URL a provider posts a unit's events to: `BASE_URL/webhooks/whatsapp/{provider}/{secret}`.
/// `BASE_URL` is where `crm webhook serve` is reachable from the provider (public and HTTPS in
/// production; a loopback address for the simulator).
package enum WebhookEndpoint {
    package static let baseURLVariable = "BASE_URL"

    /// `base` checked (http or https, a host, no query or fragment) and without trailing slashes.
    package static func validatedBase(_ base: String?) throws -> String {
        guard let text = base?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw CRMError.configuration(
                "\(baseURLVariable) is not set: set it (or pass --base-url) to the public URL of `crm webhook serve`, "
                    + "e.g. https://crm.example.com, so that the provider can post this unit's events."
            )
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.query == nil, components.fragment == nil, components.user == nil
        else {
            throw CRMError.configuration(
                "\(baseURLVariable) '\(Masking.urlPassword(String(text.prefix(200))))' is not an http(s) URL "
                    + "without query or credentials: check \(baseURLVariable) or --base-url."
            )
        }
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    package static func url(base: String, provider: ProviderKind, secret: String) -> String {
        "\(base)/webhooks/whatsapp/\(provider.rawValue)/\(secret)"
    }

    /// The URL with its secret masked, for people and logs.
    package static func masked(base: String, provider: ProviderKind, secret: String) -> String {
        url(base: base, provider: provider, secret: WebhookSecret.masked(secret))
    }
}
