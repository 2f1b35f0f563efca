import Foundation

/// The raw log of received webhooks (`webhook_events`).
package protocol WebhookEventStore: Sendable {
    /// Stores `event` unless the same (unit, provider, dedupe key) is already stored; then returns
    /// the stored one (a provider's retry), whose result tells whether it still needs applying.
    func recordWebhookEvent(_ event: StoredWebhookEvent) async throws -> StoredWebhookEvent?
    /// Records the outcome of applying it (and counts the attempt).
    func finishWebhookEvent(id: UUID, result: WebhookEventResult, error: String?, at date: Date) async throws
    func webhookEvent(id: UUID) async throws -> StoredWebhookEvent?
    /// Oldest first: what `crm webhook replay --failed` re-applies.
    func webhookEvents(result: WebhookEventResult, limit: Int) async throws -> [StoredWebhookEvent]
}
