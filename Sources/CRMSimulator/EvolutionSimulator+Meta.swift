/// Control from code for the Cloud API subset (same effects as `POST /_simulator/meta/numbers`).
extension EvolutionSimulator {
    /// Provisions (or replaces) a Cloud API number. With a webhook URL, Meta's verification
    /// handshake runs first and the URL is used only if it passed; returns that outcome (`nil`
    /// without a URL). Contacts' messages: `inbound(instance: phoneNumberId, from:text:)`.
    @discardableResult
    package func addMetaNumber(_ configuration: MetaNumberConfiguration) async -> MetaWebhookVerification? {
        await MetaRoutes.provision(configuration, state: state).verification
    }
}
