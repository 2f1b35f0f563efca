import CRMCore
import CRMServer
import CRMStore
import Foundation
import Logging

extension CommandContext {
    /// The listener's HTTP API over this command's database: passwords checked with the same
    /// bcrypt cost as `crm users create` hashes them (CRM_BCRYPT_COST, else 12); each unit's
    /// provider opened as the workers and `crm whatsapp` open it (CRM_SECRET_KEY, EVOLUTION_API_URL),
    /// webhooks registered at BASE_URL as `crm whatsapp connect` registers them.
    /// `GET /events` reads the changes when this database signals a commit (this process's; on
    /// PostgreSQL every process's, through NOTIFY) and every `eventsPollInterval` (by default 5 s
    /// on PostgreSQL, 0.5 s on SQLite, where other processes' writes are seen only by polling).
    func apiRoutes(_ configuration: APIConfiguration, metrics: MetricsRegistry, logger: Logger) async throws -> APIRoutes {
        let providers = APIProviders(
            openProvider: providerFactory(maxConnections: 2), secretBox: { try SecretBox.fromEnvironment() },
            webhookBase: { try WhatsAppSupport.webhookBase(nil) })
        let events = LiveEventHub(
            feed: LiveEventFeed(store: store), signal: database,
            configuration: .init(
                pollInterval: configuration.eventsPollInterval.map { .seconds($0) } ?? LiveEventHub.defaultPollInterval(for: database)),
            logger: logger)
        return await APIRoutes(
            configuration: configuration, store: store, hasher: Self.passwordHasher(), providers: providers, metrics: metrics, events: events)
    }
}
