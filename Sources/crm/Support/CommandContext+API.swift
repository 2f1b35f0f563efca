import CRMCore
import CRMServer
import CRMStore

extension CommandContext {
    /// The listener's HTTP API over this command's database: passwords checked with the same
    /// bcrypt cost as `crm users create` hashes them (CRM_BCRYPT_COST, else 12).
    func apiRoutes(_ configuration: APIConfiguration, metrics: MetricsRegistry) async throws -> APIRoutes {
        await APIRoutes(configuration: configuration, store: store, hasher: Self.passwordHasher(), metrics: metrics)
    }
}
