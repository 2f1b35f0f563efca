import CRMCore
import Foundation
import SQLKit

extension SQLStore: MessageWriteStore {
    package func storeIncomingMessage(_ message: IncomingMessage) async throws -> InboundStoreResult {
        guard message.phone != nil || message.lid != nil else {
            throw CRMError.invalidInput("A message without the contact's phone or LID cannot be stored.")
        }
        return try await driver.transaction { sql in
            // Our own message (an echo) takes its provider id's lock before any row, as recording the
            // send does (recordSent): taken after the conversation's row, the two deadlocked on
            // PostgreSQL (this held the conversation and waited for the lock; the send, the reverse).
            if message.fromMe { try await Self.lockProviderMessageIds(sql, [message.externalId]) }
            // A retried or echoed message is the common duplicate: skip the contact upserts for it.
            if try await Self.messageRow(sql, unitId: message.unitId, provider: message.provider, externalId: message.externalId,
                                         lock: false) != nil {
                return .duplicate
            }
            let now = message.receivedAt
            let contactId = try await ContactUpsert(message: message, now: now).run(sql)
            let conversationId = try await sql.raw("""
                INSERT INTO conversations (id, unit_id, contact_id, created_at, updated_at)
                VALUES (\(bind: UUID()), \(bind: message.unitId), \(bind: contactId), \(bind: now), \(bind: now))
                ON CONFLICT (unit_id, contact_id) DO UPDATE SET updated_at = excluded.updated_at
                RETURNING id
                """).first().map { try $0.uuid("id") }
            guard let conversationId else { throw CRMError(.internal, "The conversation could not be recorded.") }
            let id = UUID()
            let inserted = try await sql.raw("""
                INSERT INTO messages (id, unit_id, conversation_id, contact_id, direction, type, body, external_id, provider,
                                      status, sent_at, received_at, created_at, updated_at)
                VALUES (\(bind: id), \(bind: message.unitId), \(bind: conversationId), \(bind: contactId),
                        \(bind: message.fromMe ? "outbound" : "inbound"), \(bind: message.kind.rawValue), \(bind: message.body),
                        \(bind: message.externalId), \(bind: message.provider.rawValue), \(bind: message.fromMe ? "sent" : "received"),
                        \(bind: message.fromMe ? message.sentAt : nil), \(bind: message.fromMe ? nil : now),
                        \(bind: message.sentAt), \(bind: now))
                ON CONFLICT (unit_id, provider, external_id) DO NOTHING
                RETURNING id
                """).first()
            guard inserted != nil else { return .duplicate }
            try await Self.summarize(sql, conversationId: conversationId, messageId: id, message: message, now: now)
            if message.optsOut, !message.fromMe {
                try await markOptedOut(sql, [contactId: now])
            }
            if message.fromMe {
                try await Self.applyPendingStatuses(sql, unitId: message.unitId, provider: message.provider,
                                                    externalId: message.externalId, now: now)
            }
            return .stored(messageId: id)
        }
    }

    package func applyMessageStatus(_ update: MessageStatusUpdate) async throws -> StatusApplyResult {
        try await driver.transaction { sql in
            try await Self.lockProviderMessageIds(sql, [update.externalId])
            guard let row = try await Self.messageRow(sql, unitId: update.unitId, provider: update.provider,
                                                      externalId: update.externalId, lock: dialect == .postgres) else {
                try await sql.raw("""
                    INSERT INTO pending_message_statuses (unit_id, provider, external_id, status, error_code, error_message, occurred_at)
                    VALUES (\(bind: update.unitId), \(bind: update.provider.rawValue), \(bind: update.externalId),
                            \(bind: update.status.rawValue), \(bind: update.errorCode), \(bind: update.errorMessage), \(bind: update.occurredAt))
                    ON CONFLICT DO NOTHING
                    """).run()
                return .pending
            }
            guard row.direction == "outbound" else { return .unchanged }
            return try await Self.advance(sql, messageId: row.id, update: update, now: update.occurredAt)
                ? .advanced(to: MessageState(update.status)) : .unchanged
        }
    }

    // MARK: steps

    /// The message with that provider id: its id and direction.
    static func messageRow(_ sql: any SQLDatabase, unitId: UUID, provider: ProviderKind, externalId: String, lock: Bool)
        async throws -> (id: UUID, direction: String)?
    {
        let suffix: SQLQueryString = lock ? "FOR UPDATE" : ""
        return try await sql.raw("""
            SELECT id, direction FROM messages
            WHERE unit_id = \(bind: unitId) AND provider = \(bind: provider.rawValue) AND external_id = \(bind: externalId) \(suffix)
            """).first().map { (try $0.uuid("id"), try $0.decode(column: "direction", as: String.self)) }
    }

    /// The conditional UPDATE that moves a message forward only; `false` when it was not a step forward.
    static func advance(_ sql: any SQLDatabase, messageId: UUID, update: MessageStatusUpdate, now: Date) async throws -> Bool {
        let predecessors: [any Encodable & Sendable] = update.status.allowedPredecessors.map(\.rawValue)
        guard !predecessors.isEmpty else { return false }
        let stamp: String = switch update.status {
        case .queued: "queued_at"
        case .sent: "sent_at"
        case .delivered: "delivered_at"
        case .read: "read_at"
        case .failed: "failed_at"
        }
        // A "read" implies "delivered" (Meta may skip it): fill both.
        let implied: SQLQueryString = update.status == .read ? ", delivered_at = COALESCE(delivered_at, \(bind: update.occurredAt))" : ""
        let failure: SQLQueryString = update.status == .failed
            ? ", error_code = \(bind: update.errorCode), error_message = \(bind: update.errorMessage)" : ""
        return try await sql.raw("""
            UPDATE messages SET status = \(bind: update.status.rawValue),
                \(unsafeRaw: stamp) = COALESCE(\(unsafeRaw: stamp), \(bind: update.occurredAt))\(implied)\(failure),
                updated_at = \(bind: now)
            WHERE id = \(bind: messageId) AND status IN (\(binds: predecessors))
            RETURNING id
            """).first() != nil
    }

    /// Applies (in order) and forgets the receipts that arrived before the message.
    static func applyPendingStatuses(_ sql: any SQLDatabase, unitId: UUID, provider: ProviderKind, externalId: String, now: Date)
        async throws
    {
        let rows = try await sql.raw("""
            SELECT status, error_code, error_message, occurred_at FROM pending_message_statuses
            WHERE unit_id = \(bind: unitId) AND provider = \(bind: provider.rawValue) AND external_id = \(bind: externalId)
            """).all()
        guard !rows.isEmpty,
              let message = try await messageRow(sql, unitId: unitId, provider: provider, externalId: externalId, lock: false)
        else { return }
        let updates = try rows.compactMap { row -> MessageStatusUpdate? in
            guard let status = MessageStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
            return MessageStatusUpdate(
                unitId: unitId, provider: provider, externalId: externalId, status: status,
                errorCode: try row.optional("error_code"), errorMessage: try row.optional("error_message"),
                occurredAt: try row.decode(column: "occurred_at", as: Date.self)
            )
        }
        // Success path in order, failed last: each step is still forward-only.
        for update in updates.sorted(by: { Self.order($0.status) < Self.order($1.status) }) {
            _ = try await advance(sql, messageId: message.id, update: update, now: now)
        }
        try await sql.raw("""
            DELETE FROM pending_message_statuses
            WHERE unit_id = \(bind: unitId) AND provider = \(bind: provider.rawValue) AND external_id = \(bind: externalId)
            """).run()
    }

    private static func order(_ status: MessageStatus) -> Int {
        MessageStatus.allCases.firstIndex(of: status) ?? 0
    }

    /// What a conversation shows of its last message: the text's start, or the kind in brackets.
    static func conversationPreview(_ message: IncomingMessage) -> String {
        message.body.map { String($0.prefix(100)) } ?? "[\(message.kind.rawValue)]"
    }

    /// Keeps the conversation's last message (when this one is newer) and last inbound time, in one
    /// UPDATE: each CASE compares with the row as it was before it (both dialects evaluate SET that way).
    static func summarize(_ sql: any SQLDatabase, conversationId: UUID, messageId: UUID, message: IncomingMessage, now: Date)
        async throws
    {
        let preview = conversationPreview(message)
        let newer: SQLQueryString = "(last_message_at IS NULL OR last_message_at <= \(bind: message.sentAt))"
        let inbound: SQLQueryString = message.fromMe
            ? ""
            : """
                , last_inbound_at = CASE WHEN last_inbound_at IS NULL OR last_inbound_at < \(bind: message.sentAt)
                    THEN \(bind: message.sentAt) ELSE last_inbound_at END
                """
        try await sql.raw("""
            UPDATE conversations SET
                last_message_id = CASE WHEN \(newer) THEN \(bind: messageId) ELSE last_message_id END,
                last_message_preview = CASE WHEN \(newer) THEN \(bind: preview) ELSE last_message_preview END,
                last_message_at = CASE WHEN \(newer) THEN \(bind: message.sentAt) ELSE last_message_at END,
                updated_at = \(bind: now)\(inbound)
            WHERE id = \(bind: conversationId)
            """).run()
    }
}
