import Foundation

/// What a unit needs to reach its WhatsApp provider, as `crm whatsapp configure` takes it.
/// Secrets (tokens, app secret) are sealed before they are stored and never shown back whole.
package enum ProviderSettings: Sendable, Equatable {
    /// Evolution API: the global EVOLUTION_API_URL and EVOLUTION_API_KEY; an instance per unit.
    case evolution(instance: String?)
    case meta(MetaCredentials)
    case zapi(ZAPICredentials)

    package var provider: ProviderKind {
        switch self {
        case .evolution: .evolution
        case .meta: .meta
        case .zapi: .zapi
        }
    }
}

/// Meta WhatsApp Cloud API: one phone number of a WhatsApp Business account.
package struct MetaCredentials: Sendable, Equatable, Codable {
    package var phoneNumberId: String
    package var accessToken: String
    /// Signs Meta's webhooks (X-Hub-Signature-256).
    package var appSecret: String
    /// The token Meta echoes when it verifies the webhook URL.
    package var verifyToken: String
    package var graphVersion: String?
    package var baseURL: String?

    package init(
        phoneNumberId: String, accessToken: String, appSecret: String, verifyToken: String,
        graphVersion: String? = nil, baseURL: String? = nil
    ) {
        self.phoneNumberId = phoneNumberId
        self.accessToken = accessToken
        self.appSecret = appSecret
        self.verifyToken = verifyToken
        self.graphVersion = graphVersion
        self.baseURL = baseURL
    }
}

/// Z-API: one instance of a Z-API account.
package struct ZAPICredentials: Sendable, Equatable, Codable {
    package var instanceId: String
    package var instanceToken: String
    /// The account's security token (Client-Token header), when the account enabled it.
    package var clientToken: String?
    package var baseURL: String?

    package init(instanceId: String, instanceToken: String, clientToken: String? = nil, baseURL: String? = nil) {
        self.instanceId = instanceId
        self.instanceToken = instanceToken
        self.clientToken = clientToken
        self.baseURL = baseURL
    }
}
