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
        return webhookIngestion(secretBox: { try box.get() })
    }

    /// The same with a key of the caller's (`crm demo` makes a throwaway one instead of reading CRM_SECRET_KEY).
    func webhookIngestion(secretBox: @escaping @Sendable () throws -> SecretBox) -> WebhookIngestion {
        WebhookIngestion(
            store: store, parsers: [EvolutionWebhookParser(), MetaWebhookParser(), ZAPIWebhookParser()], secretBox: secretBox
        )
    }

    /// The stored webhook bodies, through their port.
    var webhookEvents: any WebhookEventStore { store }
    /// `crm stats`' counts, through their port.
    var operatingStats: any OperatingStatsStore { store }
}
