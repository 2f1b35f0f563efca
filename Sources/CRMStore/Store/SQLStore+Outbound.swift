import CRMCore
import Foundation
import SQLKit

extension SQLStore: OutboundStore {
    package func enqueueOutbound(_ request: OutboundRequest) async throws -> EnqueueResult {
        try await driver.transaction { sql in
            if let existing = try await Self.outbound(sql, unitId: request.unitId, clientMessageId: request.clientMessageId) {
                return try await Self.compare(existing, with: request, sql)
            }
            let incoming = IncomingMessage(
                unitId: request.unitId, provider: request.provider, externalId: "", phone: request.phone, lid: nil,
                senderName: nil, fromMe: true, kind: .text, body: request.body, sentAt: request.queuedAt, receivedAt: request.queuedAt
            )
            let contactId = try await ContactUpsert(message: incoming, now: request.queuedAt).run(sql)
            let conversationId = try await sql.raw("""
                INSERT INTO conversations (id, unit_id, contact_id, created_at, updated_at)
                VALUES (\(bind: UUID()), \(bind: request.unitId), \(bind: contactId), \(bind: request.queuedAt), \(bind: request.queuedAt))
                ON CONFLICT (unit_id, contact_id) DO UPDATE SET updated_at = excluded.updated_at
                RETURNING id
                """).first().map { try $0.uuid("id") }
            guard let conversationId else { throw CRMError(.internal, "The conversation could not be recorded.") }
            let kind: MessageKind = request.template == nil ? .text : .template
            let inserted = try await sql.raw("""
                INSERT INTO messages (id, unit_id, conversation_id, contact_id, direction, type, body, template, client_message_id,
                                      provider, status, retry_count, queued_at, created_at, updated_at)
                VALUES (\(bind: UUID()), \(bind: request.unitId), \(bind: conversationId), \(bind: contactId), 'outbound',
                        \(bind: kind.rawValue), \(bind: request.body), \(templateValue(request.template)), \(bind: request.clientMessageId),
                        \(bind: request.provider.rawValue), 'queued', 0,
                        \(bind: request.queuedAt), \(bind: request.queuedAt), \(bind: request.queuedAt))
                ON CONFLICT (unit_id, client_message_id) DO NOTHING
                RETURNING id
                """).first()
            guard let existing = try await Self.outbound(sql, unitId: request.unitId, clientMessageId: request.clientMessageId) else {
                throw CRMError(.internal, "The message could not be recorded.")
            }
            if inserted == nil { return try await Self.compare(existing, with: request, sql) }
            let preview = String(request.body.prefix(100))
            try await sql.raw("""
                UPDATE conversations SET last_message_id = \(bind: existing.id), last_message_at = \(bind: request.queuedAt),
                    last_message_preview = \(bind: preview), updated_at = \(bind: request.queuedAt)
                WHERE id = \(bind: conversationId)
                """).run()
            return .created(existing)
        }
    }

    package func claimOutbound(id: UUID, owner: String, until: Date, now: Date) async throws -> Bool {
        try await driver.transaction { sql in
            try await sql.raw("""
                UPDATE messages SET lease_owner = \(bind: owner), lease_expires_at = \(bind: until), updated_at = \(bind: now)
                WHERE id = \(bind: id) AND status = 'queued'
                  AND (lease_expires_at IS NULL OR lease_expires_at < \(bind: now) OR lease_owner = \(bind: owner))
                RETURNING id
                """).first() != nil
        }
    }

    /// The provider's echo of the send (Evolution's `send.message`, a `fromMe` message) may reach
    /// the listener before this record and be stored as a message of its own under the same provider
    /// id: it is the same message, so it is folded into this one (see `SQLStore+SendEcho.swift`). On
    /// PostgreSQL an echo committed at the same instant surfaces as a unique violation: the
    /// transaction runs again and folds it.
    package func recordSent(id: UUID, externalId: String, attempts: Int, at date: Date) async throws {
        for round in 1...3 {
            do {
                return try await driver.transaction { sql in
                    try await Self.recordSent(sql, id: id, externalId: externalId, attempts: attempts, at: date)
                }
            } catch StoreError.uniqueViolation where round < 3 {
                continue
            }
        }
    }

    package func recordRetry(id: UUID, attempts: Int, error: String, nextAttemptAt: Date, at date: Date) async throws {
        try await driver.transaction { sql in
            try await sql.raw("""
                UPDATE messages SET retry_count = \(bind: attempts), error_message = \(bind: error),
                    next_attempt_at = \(bind: nextAttemptAt), lease_owner = NULL, lease_expires_at = NULL, updated_at = \(bind: date)
                WHERE id = \(bind: id) AND status = 'queued'
                """).run()
        }
    }

    package func recordFailed(id: UUID, attempts: Int, code: String?, error: String, at date: Date) async throws {
        try await driver.transaction { sql in
            try await sql.raw("""
                UPDATE messages SET status = 'failed', retry_count = \(bind: attempts), error_code = \(bind: code),
                    error_message = \(bind: error), failed_at = \(bind: date), lease_owner = NULL, lease_expires_at = NULL,
                    next_attempt_at = NULL, updated_at = \(bind: date)
                WHERE id = \(bind: id) AND status = 'queued'
                """).run()
        }
    }

    package func outboundMessage(id: UUID) async throws -> Message? {
        try await driver.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.messageColumns) FROM messages m WHERE m.id = \(bind: id)").first()
                .map(Self.message(from:))
        }
    }

    package func outboundMessage(unitId: UUID, clientMessageId: String) async throws -> Message? {
        try await driver.read { sql in try await Self.outbound(sql, unitId: unitId, clientMessageId: clientMessageId) }
    }

    static func outbound(_ sql: any SQLDatabase, unitId: UUID, clientMessageId: String) async throws -> Message? {
        try await sql.raw("""
            SELECT \(unsafeRaw: messageColumns) FROM messages m
            WHERE m.unit_id = \(bind: unitId) AND m.client_message_id = \(bind: clientMessageId)
            """).first().map(message(from:))
    }

    /// The template as a JSON parameter: jsonb on PostgreSQL (a text parameter needs the cast), JSON
    /// text on SQLite; NULL for free text.
    func templateValue(_ template: MessageTemplate?) -> SQLQueryString {
        guard let template else { return "NULL" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings only: encoding cannot fail.
        let json = (try? encoder.encode(template)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return dialect == .postgres ? "CAST(\(bind: json) AS jsonb)" : "\(bind: json)"
    }

    /// The same key: the same message only when it goes to the same number with the same text
    /// (for a template: the same template, language and parameters).
    static func compare(_ existing: Message, with request: OutboundRequest, _ sql: any SQLDatabase) async throws -> EnqueueResult {
        let phone = try await sql.raw("SELECT phone FROM contacts WHERE id = \(bind: existing.contactId)").first()?
            .decode(column: "phone", as: String?.self)
        let same = phone == request.phone && existing.body == request.body && existing.template == request.template
        return same ? .existing(existing) : .conflict(existing)
    }
}
