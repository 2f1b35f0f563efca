import CRMCore
import CRMProviders
import CRMServer
import CRMStore
import Foundation
import Logging

extension CommandContext {
    /// The listener's outbound worker over this command's database. Each unit's provider adapter
    /// is built from its stored connection as `crm send` builds it (credentials opened with
    /// CRM_SECRET_KEY, Evolution's server from EVOLUTION_API_URL), once per unit; each outcome is
    /// counted in `metrics`.
    func outboundWorker(configuration: OutboundWorker.Configuration, logger: Logger, metrics: MetricsRegistry) -> OutboundWorker {
        OutboundWorker(
            store: store, makeProvider: providerFactory(maxConnections: configuration.concurrency),
            configuration: configuration, logger: logger,
            onOutcome: { provider, outcome in metrics.recordOutbound(provider, outcome) }
        )
    }

    /// The listener's campaign worker: a dispatcher per running campaign, providers opened as the
    /// outbound worker opens them.
    func campaignWorker(configuration: CampaignDispatcher.Configuration, logger: Logger) -> CampaignWorker {
        CampaignWorker(
            store: store, makeProvider: providerFactory(maxConnections: configuration.concurrency),
            dispatcherConfiguration: configuration, logger: logger)
    }

    /// Opens a unit's provider adapter from its stored connection, as `crm send` does.
    func providerFactory(maxConnections: Int) -> OutboundWorker.ProviderFactory {
        let store = self.store
        // Read and decoded once, like the webhook ingestion's; a missing key fails only the units that need it.
        let box = Result { try SecretBox.fromEnvironment() }
        return { connection in
            let slug = try await store.unit(id: connection.unitId)?.slug ?? connection.unitId.uuidString.lowercased()
            let settings = try ConnectionSecrets.settings(of: connection, unitSlug: slug, box: { try box.get() })
            let handle = try ProviderClients.make(settings, maxConnections: maxConnections)
            return OpenedProvider(provider: handle.provider, close: { await handle.shutdown() })
        }
    }
}
