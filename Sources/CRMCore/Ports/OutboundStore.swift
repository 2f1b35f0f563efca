import Foundation

/// Recording sends. The lease (`claimOutbound`) is what makes one process, of several racing with
/// the same idempotency key or several queue workers, the only one to call the provider.
package protocol OutboundStore: Sendable {
    /// Stores the message as queued (finding or creating its contact and conversation) unless the
    /// unit already has one with that client message id; one transaction, decided by the unique key.
    func enqueueOutbound(_ request: OutboundRequest) async throws -> EnqueueResult
    /// Takes the message for sending until `until`: `true` only for one caller at a time, and only
    /// while it is still queued.
    func claimOutbound(id: UUID, owner: String, until: Date, now: Date) async throws -> Bool
    /// The provider accepted it: sent, with the provider's id; receipts that arrived first are applied.
    func recordSent(id: UUID, externalId: String, attempts: Int, at date: Date) async throws
    /// Several `recordSent` in one transaction (the worker's group commit): all or none.
    func recordSent(_ records: [SentRecord]) async throws
    /// An attempt failed but another may follow at `nextAttemptAt`; the lease is released.
    func recordRetry(id: UUID, attempts: Int, error: String, nextAttemptAt: Date, at date: Date) async throws
    /// No more attempts: failed, with the sanitized reason.
    func recordFailed(id: UUID, attempts: Int, code: String?, error: String, at date: Date) async throws
    func outboundMessage(id: UUID) async throws -> Message?
    /// The unit's message stored under this client message id, if any.
    func outboundMessage(unitId: UUID, clientMessageId: String) async throws -> Message?
}

/// One provider acceptance to record.
package struct SentRecord: Sendable, Equatable {
    package var id: UUID
    package var externalId: String
    package var attempts: Int
    package var date: Date

    package init(id: UUID, externalId: String, attempts: Int, date: Date) {
        self.id = id
        self.externalId = externalId
        self.attempts = attempts
        self.date = date
    }
}
