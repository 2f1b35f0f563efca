import Foundation

/// A unit's link to its WhatsApp provider: which provider, which instance (or phone number id),
/// how to authenticate the provider's webhooks, and the recorded status. One per unit.
package struct WhatsAppConnection: Sendable, Equatable {
    package var id: UUID
    package var unitId: UUID
    package var provider: ProviderKind
    /// Evolution instance name, Z-API instance id, or Meta phone number id.
    package var instanceName: String
    package var status: ConnectionStatus
    /// SHA-256 of the secret in the unit's webhook URL; the secret itself is never stored.
    package var webhookSecretHash: String?
    /// The same secret sealed with CRM_SECRET_KEY, so that the URL can be shown again and stays stable.
    package var sealedWebhookSecret: Data?
    /// Provider credentials sealed with CRM_SECRET_KEY (AES-GCM); never stored in clear.
    package var sealedCredentials: Data?
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: UUID = UUID(), unitId: UUID, provider: ProviderKind, instanceName: String, status: ConnectionStatus = .new,
        webhookSecretHash: String? = nil, sealedWebhookSecret: Data? = nil, sealedCredentials: Data? = nil,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.unitId = unitId
        self.provider = provider
        self.instanceName = instanceName
        self.status = status
        self.webhookSecretHash = webhookSecretHash
        self.sealedWebhookSecret = sealedWebhookSecret
        self.sealedCredentials = sealedCredentials
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
