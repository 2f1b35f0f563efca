import CRMCore
import Foundation
import SQLKit

/// Recording a send whose provider echo may already be stored. Providers report our own sends
/// back as `fromMe` messages (Evolution's `send.message`, at the same moment as the answer to the
/// send call). When that webhook is applied first, the listener stores the echo as an outbound
/// message of its own with the provider's id, and receipts then advance that row. Recording the
/// send folds the echo into the queued message: the echo row goes, its progress (delivered, read,
/// failed) moves to the message, and the conversation points at the message.
extension SQLStore {
    /// What a folded echo had reached.
    struct Echo {
        var id: UUID
        var state: String
        var deliveredAt: Date?
        var readAt: Date?
        var failedAt: Date?
        var errorCode: String?
        var errorMessage: String?
    }

    /// Marks the queued message sent (one statement when no echo is in the way) and applies what
    /// is pending for its provider id. Does nothing when it is no longer queued; throws
    /// `StoreError.uniqueViolation` when another of our messages holds the provider id.
    static func recordSent(_ sql: any SQLDatabase, id: UUID, externalId: String, attempts: Int, at date: Date) async throws {
        try await lockProviderMessageIds(sql, [externalId])
        var marked = try await markSent(sql, id: id, externalId: externalId, attempts: attempts, at: date, unlessTaken: true)
        var echo: Echo?
        if marked == nil {
            // Taken by an echo, or by another message (a unique violation), or no longer queued (nothing to do).
            echo = try await takeEcho(sql, of: id, externalId: externalId)
            marked = try await markSent(sql, id: id, externalId: externalId, attempts: attempts, at: date, unlessTaken: false)
        }
        guard let marked else { return }
        if let echo {
            try await fold(echo, into: id, sql, unitId: marked.unitId, provider: marked.provider, externalId: externalId, at: date)
        }
        if marked.pending {
            try await applyPendingStatuses(sql, unitId: marked.unitId, provider: marked.provider, externalId: externalId, now: date)
        }
    }

    /// The UPDATE to `sent`, returning the unit, the provider and whether receipts wait for this
    /// provider id. `unlessTaken`: only when no other row holds the id yet (else nothing happens).
    private static func markSent(
        _ sql: any SQLDatabase, id: UUID, externalId: String, attempts: Int, at date: Date, unlessTaken: Bool
    ) async throws -> (unitId: UUID, provider: ProviderKind, pending: Bool)? {
        let free: SQLQueryString = unlessTaken ? """
             AND NOT EXISTS (SELECT 1 FROM messages e WHERE e.unit_id = messages.unit_id AND e.provider = messages.provider
                             AND e.external_id = \(bind: externalId))
            """ : ""
        let row = try await sql.raw("""
            UPDATE messages SET status = 'sent', external_id = \(bind: externalId), sent_at = \(bind: date),
                retry_count = \(bind: attempts), lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL,
                error_code = NULL, error_message = NULL, updated_at = \(bind: date)
            WHERE id = \(bind: id) AND status = 'queued'\(free)
            RETURNING unit_id, provider,
                CASE WHEN EXISTS (SELECT 1 FROM pending_message_statuses p WHERE p.unit_id = messages.unit_id
                                  AND p.provider = messages.provider AND p.external_id = \(bind: externalId)) THEN 1 ELSE 0 END AS pending
            """).first()
        guard let row, let provider = ProviderKind(rawValue: try row.decode(column: "provider", as: String.self)) else { return nil }
        return (try row.uuid("unit_id"), provider, try row.decode(column: "pending", as: Int.self) != 0)
    }

    /// Deletes the echo that holds `externalId` for the queued message's unit and provider: an
    /// outbound message without a client message id (ours always have one). `nil` when there is none.
    private static func takeEcho(_ sql: any SQLDatabase, of id: UUID, externalId: String) async throws -> Echo? {
        try await sql.raw("""
            DELETE FROM messages
            WHERE external_id = \(bind: externalId) AND id <> \(bind: id) AND direction = 'outbound' AND client_message_id IS NULL
              AND unit_id = (SELECT q.unit_id FROM messages q WHERE q.id = \(bind: id) AND q.status = 'queued')
              AND provider = (SELECT q.provider FROM messages q WHERE q.id = \(bind: id))
            RETURNING id, status, delivered_at, read_at, failed_at, error_code, error_message
            """).first().map { row in
            Echo(
                id: try row.uuid("id"), state: try row.decode(column: "status", as: String.self),
                deliveredAt: try row.optional("delivered_at"), readAt: try row.optional("read_at"),
                failedAt: try row.optional("failed_at"), errorCode: try row.optional("error_code"),
                errorMessage: try row.optional("error_message"))
        }
    }

    /// The echo's receipts, applied forward only to the message; the conversation's last message follows.
    private static func fold(
        _ echo: Echo, into id: UUID, _ sql: any SQLDatabase, unitId: UUID, provider: ProviderKind, externalId: String, at date: Date
    ) async throws {
        try await sql.raw("""
            UPDATE conversations SET last_message_id = \(bind: id) WHERE last_message_id = \(bind: echo.id)
            """).run()
        var steps: [(MessageStatus, Date)] = []
        if let deliveredAt = echo.deliveredAt { steps.append((.delivered, deliveredAt)) }
        if let readAt = echo.readAt { steps.append((.read, readAt)) }
        if echo.state == MessageState.failed.rawValue, let failedAt = echo.failedAt { steps.append((.failed, failedAt)) }
        for (status, occurredAt) in steps {
            let update = MessageStatusUpdate(
                unitId: unitId, provider: provider, externalId: externalId, status: status,
                errorCode: echo.errorCode, errorMessage: echo.errorMessage, occurredAt: occurredAt)
            _ = try await advance(sql, messageId: id, update: update, now: date)
        }
    }
}
