import CRMCore
import CRMServer
import CRMStore
import Foundation

extension CommandContext {
    /// The listener's HTTP API over this command's database: passwords checked with the same
    /// bcrypt cost as `crm users create` hashes them (CRM_BCRYPT_COST, else 12); each unit's
    /// provider opened as the workers and `crm whatsapp` open it (CRM_SECRET_KEY, EVOLUTION_API_URL),
    /// webhooks registered at BASE_URL as `crm whatsapp connect` registers them.
    func apiRoutes(_ configuration: APIConfiguration, metrics: MetricsRegistry) async throws -> APIRoutes {
        let providers = APIProviders(
            openProvider: providerFactory(maxConnections: 2), secretBox: { try SecretBox.fromEnvironment() },
            webhookBase: { try WhatsAppSupport.webhookBase(nil) })
        return await APIRoutes(configuration: configuration, store: store, hasher: Self.passwordHasher(), providers: providers, metrics: metrics)
    }
}
