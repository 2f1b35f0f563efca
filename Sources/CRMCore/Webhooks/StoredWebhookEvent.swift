import Foundation

/// What became of a received webhook body (`webhook_events.result`).
package enum WebhookEventResult: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stored, not yet applied (or the process stopped while applying).
    case pending
    case applied
    /// The same body had already been received and applied.
    case duplicate
    /// Valid, but nothing in it concerns crm (group messages, presence, deletes…).
    case ignored
    /// Applying failed; `crm webhook replay` tries again.
    case failed
    /// Not JSON, or not the shape its provider sends.
    case invalid
    /// About an instance that is not the unit's connection.
    case unknownInstance = "unknown_instance"
}

/// A webhook body as the listener stores it before applying it, so that nothing is lost.
package struct StoredWebhookEvent: Sendable, Equatable {
    package var id: UUID
    package var unitId: UUID?
    package var provider: ProviderKind
    /// The first event's kind (`messages.upsert`, `statuses`…), `invalid` for a rejected body.
    package var eventType: String
    package var instance: String?
    /// SHA-256 of the body: a provider's retry of the same body is recognized.
    package var dedupeKey: String
    /// The body exactly as received (UTF-8, invalid bytes replaced).
    package var body: String
    package var result: WebhookEventResult
    package var error: String?
    package var attempts: Int
    package var receivedAt: Date
    package var appliedAt: Date?

    package init(
        id: UUID = .timeOrdered(), unitId: UUID?, provider: ProviderKind, eventType: String, instance: String?, dedupeKey: String,
        body: String, result: WebhookEventResult = .pending, error: String? = nil, attempts: Int = 0, receivedAt: Date,
        appliedAt: Date? = nil
    ) {
        self.id = id
        self.unitId = unitId
        self.provider = provider
        self.eventType = eventType
        self.instance = instance
        self.dedupeKey = dedupeKey
        self.body = body
        self.result = result
        self.error = error
        self.attempts = attempts
        self.receivedAt = receivedAt
        self.appliedAt = appliedAt
    }
}
