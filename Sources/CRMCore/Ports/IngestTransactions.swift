/// The stores a webhook's events are applied through.
package typealias WebhookApplyStore = ConnectionStore & WebhookEventStore & MessageWriteStore & OptOutKeywordStore

/// Groups a webhook's writes into one database transaction: the raw body, what its events change,
/// and its outcome are committed together (one commit per webhook instead of one per step), or
/// not at all.
package protocol IngestTransactions: Sendable {
    /// Runs `body` with a store whose every call is part of one transaction: committed when `body`
    /// returns, rolled back when it throws. `body` must use only the store it is given.
    func inIngestTransaction<T>(_ body: (any WebhookApplyStore) async throws -> T) async throws -> T
}
