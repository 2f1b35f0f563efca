import CRMCore
import CRMProviders
import CRMStore

extension CommandContext {
    /// The webhook ingestion over this command's database, with every provider's parser: the
    /// listener receives through it, `crm webhook replay` re-applies through it.
    var webhookIngestion: WebhookIngestion {
        // CRM_SECRET_KEY is read and decoded once, not again for every Meta webhook; a missing or
        // malformed key still fails only the calls that need it (Evolution and Z-API bodies do not).
        let box = Result { try SecretBox.fromEnvironment() }
        return WebhookIngestion(
            store: store, parsers: [EvolutionWebhookParser(), MetaWebhookParser(), ZAPIWebhookParser()],
            secretBox: { try box.get() }
        )
    }

    /// The stored webhook bodies, through their port.
    var webhookEvents: any WebhookEventStore { store }
    /// `crm stats`' counts, through their port.
    var operatingStats: any OperatingStatsStore { store }
}
