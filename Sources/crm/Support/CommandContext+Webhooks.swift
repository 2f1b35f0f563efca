import CRMCore
import CRMProviders
import CRMStore

extension CommandContext {
    /// The webhook ingestion over this command's database, with every provider's parser: the
    /// listener receives through it, `crm webhook replay` re-applies through it.
    var webhookIngestion: WebhookIngestion { webhookIngestion(batcher: nil) }

    /// The listener's: plain inbound messages that arrive together are stored in batches, one batch
    /// at a time (see `InboundBatcher`), and a unit's secret
    /// and opt-out keywords are looked up once a second at most (a new secret, a removed unit or
    /// changed keywords count within that second).
    var listenerIngestion: WebhookIngestion { listenerIngestion(secretBox: Self.environmentSecretBox()) }

    /// The listener's, with a key of the caller's: `crm demo` makes a throwaway one instead of
    /// reading CRM_SECRET_KEY.
    func listenerIngestion(secretBox: @escaping @Sendable () throws -> SecretBox) -> WebhookIngestion {
        webhookIngestion(
            batcher: InboundBatcher(store: store, logger: Log.logger),
            secretCache: SecretLookupCache(ttl: 1), optOutCache: OptOutKeywordCache(ttl: 1), secretBox: secretBox
        )
    }

    private func webhookIngestion(
        batcher: InboundBatcher?, secretCache: SecretLookupCache? = nil, optOutCache: OptOutKeywordCache? = nil,
        secretBox: (@Sendable () throws -> SecretBox)? = nil
    ) -> WebhookIngestion {
        WebhookIngestion(
            store: store, parsers: [EvolutionWebhookParser(), MetaWebhookParser(), ZAPIWebhookParser()],
            secretBox: secretBox ?? Self.environmentSecretBox(), batcher: batcher, secretCache: secretCache,
            optOutCache: optOutCache
        )
    }

    /// CRM_SECRET_KEY, read and decoded once, not again for every Meta webhook; a missing or
    /// malformed key still fails only the calls that need it (Evolution and Z-API bodies do not).
    private static func environmentSecretBox() -> @Sendable () throws -> SecretBox {
        let box = Result { try SecretBox.fromEnvironment() }
        return { try box.get() }
    }

    /// The stored webhook bodies, through their port.
    var webhookEvents: any WebhookEventStore { store }
    /// `crm stats`' counts, through their port.
    var operatingStats: any OperatingStatsStore { store }
}
