import CRMCore
import Foundation
import SQLKit

/// The read side of messaging: lists of a unit's messages, conversations and contacts, each row
/// joined to its contact. Written once for both dialects; ordering is done in SQL (on timestamps and
/// ids, which both databases compare alike), so that LIMIT and cursors mean the same everywhere.
extension SQLStore: MessageReadStore {
    static let messageColumns = """
        m.id, m.unit_id, m.conversation_id, m.contact_id, m.campaign_id, m.direction, m.type, m.body,
        m.client_message_id, m.external_id, m.provider, m.status, m.retry_count, m.error_code, m.error_message,
        m.queued_at, m.sent_at, m.delivered_at, m.read_at, m.failed_at, m.received_at, m.created_at, m.updated_at,
        CAST(m.template AS TEXT) AS template
        """
    static let contactColumns = "id, unit_id, phone, lid, name, opted_out, opted_out_at, created_at, updated_at"
    /// The joined contact's columns (table alias `c`), renamed `contact_…` so they cannot collide with the row's own.
    static let joinedContactColumns: String = contactColumns.split(separator: ",")
        .map { column -> String in
            let name = column.trimmingCharacters(in: .whitespaces)
            return "c.\(name) AS contact_\(name)"
        }
        .joined(separator: ", ")

    package func messages(_ filter: MessageFilter) async throws -> [MessageRecord] {
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: Self.messageColumns), \(unsafeRaw: Self.joinedContactColumns)
            FROM messages m JOIN contacts c ON c.id = m.contact_id
            WHERE m.unit_id = \(bind: filter.unitId)
            """
        if let phone = filter.contactPhone { query += " AND c.phone = \(bind: phone)" }
        if let direction = filter.direction { query += " AND m.direction = \(bind: direction.rawValue)" }
        if let state = filter.state { query += " AND m.status = \(bind: state.rawValue)" }
        if let since = filter.since { query += " AND m.created_at >= \(bind: since)" }
        if let before = filter.before { query += " AND " + Self.beyond(before, comparison: "<") }
        if let after = filter.after { query += " AND " + Self.beyond(after, comparison: ">") }
        let direction = filter.order == .newestFirst ? "DESC" : "ASC"
        query += " ORDER BY m.created_at \(unsafeRaw: direction), m.id \(unsafeRaw: direction)"
        query += " LIMIT \(unsafeRaw: String(max(0, filter.limit)))"
        return try await driver.read { sql in
            try await sql.raw(query).all().map(Self.messageRecord(from:))
        }
    }

    package func message(id: UUID) async throws -> MessageRecord? {
        try await driver.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.messageColumns), \(unsafeRaw: Self.joinedContactColumns)
                FROM messages m JOIN contacts c ON c.id = m.contact_id
                WHERE m.id = \(bind: id)
                """).first().map(Self.messageRecord(from:))
        }
    }

    package func conversations(_ filter: ConversationFilter) async throws -> [ConversationRecord] {
        var query: SQLQueryString = """
            SELECT v.id, v.unit_id, v.contact_id, v.last_message_at, v.last_message_preview, v.last_inbound_at,
                   v.created_at, v.updated_at, \(unsafeRaw: Self.joinedContactColumns)
            FROM conversations v JOIN contacts c ON c.id = v.contact_id
            WHERE v.unit_id = \(bind: filter.unitId)
            """
        if let phone = filter.contactPhone { query += " AND c.phone = \(bind: phone)" }
        if let since = filter.since { query += " AND v.last_message_at >= \(bind: since)" }
        if let cursor = filter.after {
            let updated = Self.storedKey("updated_at", of: "conversations", id: cursor.id, near: cursor.updatedAt)
            let tail: SQLQueryString = """
                (v.updated_at < \(updated) OR (v.updated_at = \(updated) AND v.id < \(bind: cursor.id)))
                """
            if let last = cursor.lastMessageAt {
                let stored = Self.storedKey("last_message_at", of: "conversations", id: cursor.id, near: last)
                query += """
                     AND (v.last_message_at IS NULL OR v.last_message_at < \(stored) \
                    OR (v.last_message_at = \(stored) AND \(tail)))
                    """
            } else {
                query += " AND v.last_message_at IS NULL AND \(tail)"
            }
        }
        query += """
             ORDER BY v.last_message_at DESC NULLS LAST, v.updated_at DESC, v.id DESC \
            LIMIT \(unsafeRaw: String(max(0, filter.limit)))
            """
        return try await driver.read { sql in
            try await sql.raw(query).all().map { row in
                ConversationRecord(
                    conversation: Conversation(
                        id: try row.uuid("id"),
                        unitId: try row.uuid("unit_id"),
                        contactId: try row.uuid("contact_id"),
                        lastMessageAt: try row.optional("last_message_at"),
                        lastMessagePreview: try row.optional("last_message_preview"),
                        lastInboundAt: try row.optional("last_inbound_at"),
                        createdAt: try row.decode(column: "created_at", as: Date.self),
                        updatedAt: try row.decode(column: "updated_at", as: Date.self)
                    ),
                    contact: try Self.contact(from: row, prefix: "contact_")
                )
            }
        }
    }

    package func contacts(_ filter: ContactFilter) async throws -> [Contact] {
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: Self.contactColumns) FROM contacts WHERE unit_id = \(bind: filter.unitId)
            """
        if let phone = filter.phone { query += " AND phone = \(bind: phone)" }
        if let optedOut = filter.optedOut { query += " AND opted_out = \(bind: optedOut)" }
        if let since = filter.since { query += " AND updated_at >= \(bind: since)" }
        if let cursor = filter.after {
            let updated = Self.storedKey("updated_at", of: "contacts", id: cursor.id, near: cursor.updatedAt)
            query += " AND (updated_at < \(updated) OR (updated_at = \(updated) AND id < \(bind: cursor.id)))"
        }
        query += " ORDER BY updated_at DESC, id DESC LIMIT \(unsafeRaw: String(max(0, filter.limit)))"
        return try await driver.read { sql in
            try await sql.raw(query).all().map { try Self.contact(from: $0, prefix: "") }
        }
    }

    /// A cursor row's `column` as stored, while it is still the value the cursor holds (within a
    /// millisecond: a date that went through a driver is not always the stored value bit for bit,
    /// see `beyond`); the cursor's own value once the row has changed (it moved up the list) or is gone.
    static func storedKey(_ column: String, of table: String, id: UUID, near value: Date) -> SQLQueryString {
        """
        COALESCE((SELECT k.\(unsafeRaw: column) FROM \(unsafeRaw: table) k WHERE k.id = \(bind: id) \
        AND k.\(unsafeRaw: column) BETWEEN \(bind: value - 0.001) AND \(bind: value + 0.001)), \(bind: value))
        """
    }

    /// Rows strictly past `cursor` in the stored order (`comparison` is "<" for before, ">" for after).
    ///
    /// The cursor row's own `created_at` is read back by id rather than trusted from the bound date: a
    /// timestamp that went through a driver is not always the stored value bit for bit (SQLite's
    /// decoder rounds to microseconds, postgres-nio truncates on encode), and on a tie a value one
    /// microsecond off either repeats the cursor row or skips its same-instant neighbours. The bound
    /// date stands in only when the cursor row is gone.
    static func beyond(_ cursor: MessageCursor, comparison: String) -> SQLQueryString {
        let stored: SQLQueryString =
            "COALESCE((SELECT k.created_at FROM messages k WHERE k.id = \(bind: cursor.id)), \(bind: cursor.createdAt))"
        return """
            (m.created_at \(unsafeRaw: comparison) \(stored) \
            OR (m.created_at = \(stored) AND m.id \(unsafeRaw: comparison) \(bind: cursor.id)))
            """
    }

    static func messageRecord(from row: any SQLRow) throws -> MessageRecord {
        MessageRecord(message: try message(from: row), contact: try contact(from: row, prefix: "contact_"))
    }

    static func message(from row: any SQLRow) throws -> Message {
        let provider = try row.optional("provider", as: String.self)
        return Message(
            id: try row.uuid("id"),
            unitId: try row.uuid("unit_id"),
            conversationId: try row.uuid("conversation_id"),
            contactId: try row.uuid("contact_id"),
            campaignId: try row.decodeNil(column: "campaign_id") ? nil : row.uuid("campaign_id"),
            direction: try stored("direction", of: row, as: MessageDirection.self),
            kind: try stored("type", of: row, as: MessageKind.self),
            body: try row.optional("body"),
            clientMessageId: try row.optional("client_message_id"),
            externalId: try row.optional("external_id"),
            provider: try provider.map { text in
                guard let kind = ProviderKind(rawValue: text) else { throw unknown("provider", text) }
                return kind
            },
            state: try stored("status", of: row, as: MessageState.self),
            retryCount: try row.decode(column: "retry_count", as: Int.self),
            errorCode: try row.optional("error_code"),
            errorMessage: try row.optional("error_message"),
            queuedAt: try row.optional("queued_at"),
            sentAt: try row.optional("sent_at"),
            deliveredAt: try row.optional("delivered_at"),
            readAt: try row.optional("read_at"),
            failedAt: try row.optional("failed_at"),
            receivedAt: try row.optional("received_at"),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self),
            template: try template(from: row)
        )
    }

    /// The `template` column (JSON text on both dialects through the CAST of `messageColumns`).
    private static func template(from row: any SQLRow) throws -> MessageTemplate? {
        guard let text = try row.optional("template", as: String.self) else { return nil }
        do {
            return try JSONDecoder().decode(MessageTemplate.self, from: Data(text.utf8))
        } catch {
            throw CRMError(.internal, "A message row holds a template crm cannot read: is this crm older than the database?")
        }
    }

    /// A contact from its own columns, each named `prefix` + column.
    static func contact(from row: any SQLRow, prefix: String) throws -> Contact {
        Contact(
            id: try row.uuid(prefix + "id"),
            unitId: try row.uuid(prefix + "unit_id"),
            phone: try row.optional(prefix + "phone"),
            lid: try row.optional(prefix + "lid"),
            name: try row.optional(prefix + "name"),
            optedOut: try row.decode(column: prefix + "opted_out", as: Bool.self),
            optedOutAt: try row.optional(prefix + "opted_out_at"),
            createdAt: try row.decode(column: prefix + "created_at", as: Date.self),
            updatedAt: try row.decode(column: prefix + "updated_at", as: Date.self)
        )
    }

    private static func stored<T: RawRepresentable>(_ column: String, of row: any SQLRow, as type: T.Type) throws -> T
    where T.RawValue == String {
        let text = try row.decode(column: column, as: String.self)
        guard let value = T(rawValue: text) else { throw unknown(column, text) }
        return value
    }

    private static func unknown(_ column: String, _ value: String) -> CRMError {
        CRMError(.internal, "A message row holds an unknown \(column) '\(value.prefix(40))': is this crm older than the database?")
    }
}
