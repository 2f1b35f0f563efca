import Foundation

/// The outbound queue as the listener's workers see it. A claim leases a batch of messages to one
/// worker: however many workers (on one PostgreSQL database, or processes on one SQLite file) claim
/// at the same instant, each message goes to one of them. A worker that dies leaves leases that
/// expire, and the messages are claimed again.
package protocol OutboundQueueStore: Sendable {
    /// Leases to `owner` until `until` at most `limit` messages that are due, oldest first: queued,
    /// `next_attempt_at` unset or past, no lease or an expired one, of a unit whose connection is
    /// `connected` (with the provider the message was queued for), and not of `excludingUnits`.
    func claimDueOutbound(limit: Int, owner: String, until: Date, now: Date, excludingUnits: Set<UUID>) async throws
        -> [QueuedOutbound]
    /// Gives back messages `owner` claimed but will not send now: no attempt is counted.
    func releaseOutbound(ids: [UUID], owner: String, at date: Date) async throws
    /// Units with queued messages whose connection is not connected: no worker claims those.
    func outboundAwaitingConnection() async throws -> [OutboundWaitingUnit]
}
