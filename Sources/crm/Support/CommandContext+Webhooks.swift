import CRMCore
import CRMProviders
import CRMStore

extension CommandContext {
    /// The webhook ingestion over this command's database, with every provider's parser: the
    /// listener receives through it, `crm webhook replay` re-applies through it.
    var webhookIngestion: WebhookIngestion {
        WebhookIngestion(
            store: store, parsers: [EvolutionWebhookParser(), MetaWebhookParser(), ZAPIWebhookParser()],
            secretBox: { try SecretBox.fromEnvironment() }
        )
    }

    /// The stored webhook bodies, through their port.
    var webhookEvents: any WebhookEventStore { store }
    /// `crm stats`' counts, through their port.
    var operatingStats: any OperatingStatsStore { store }
}
