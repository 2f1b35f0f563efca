import CRMCore
import Foundation
import SQLKit

/// Plain inbound messages in batches: one transaction of six statements for the whole batch
/// (bodies, the messages already stored, contacts, conversations, messages, summaries), the rows
/// passed as one JSON parameter per statement and read back as a table (`jsonb_to_recordset` on
/// PostgreSQL, `json_each` on SQLite). The decisions the one-by-one path makes with a round trip
/// each (is this body new, is this message new) are made here from each statement's RETURNING.
/// Contacts, conversations and summaries are written in a fixed order (by key), so that two
/// batches running at once lock shared rows in the same order and never deadlock.
extension SQLStore: InboundBatchStore {
    package func storeInboundBatch(_ items: [InboundWebhook]) async throws -> [InboundBatchResult] {
        guard !items.isEmpty else { return [] }
        return try await driver.transaction { sql in
            var results = [InboundBatchResult?](repeating: nil, count: items.count)

            // 1. The bodies. A body twice in the batch, or already stored, is left to the one-by-one path.
            var seenBodies = Set<String>()
            var candidates: [Int] = []
            for (index, item) in items.enumerated() {
                let key = "\(item.record.unitId?.uuidString ?? "")|\(item.record.provider.rawValue)|\(item.record.dedupeKey)"
                if seenBodies.insert(key).inserted { candidates.append(index) } else { results[index] = .bodyAlreadyStored }
            }
            let insertedBodies = try await sql.raw("""
                INSERT INTO webhook_events (id, unit_id, provider, event_type, instance, dedupe_key, body, result, attempts,
                                            received_at, applied_at)
                SELECT s.id, s.unit_id, s.provider, s.event_type, s.instance, s.dedupe_key, s.body, s.result, 1,
                       \(time("s.received_at")), \(time("s.received_at"))
                FROM \(table(Self.bodyRows(candidates.map { items[$0] }), Self.batchBodyColumns)) WHERE true
                ON CONFLICT (unit_id, provider, dedupe_key) DO NOTHING
                RETURNING id
                """).all().map { try $0.uuid("id") }
            let newBodies = Set(insertedBodies)
            var fresh: [Int] = []
            for index in candidates {
                if newBodies.contains(items[index].record.id) { fresh.append(index) } else { results[index] = .bodyAlreadyStored }
            }

            // 2. Messages already stored (another body carried them), and the same message twice in the batch.
            let known = try await sql.raw("""
                SELECT m.unit_id, m.provider, m.external_id FROM messages m
                JOIN \(table(fresh.map { Self.messageKeyRow(items[$0].message) }, Self.batchMessageKeyColumns))
                  ON m.unit_id = s.unit_id AND m.provider = s.provider AND m.external_id = s.external_id
                """).all().map {
                    Self.messageKey(try $0.uuid("unit_id"), try $0.decode(column: "provider", as: String.self),
                                    try $0.decode(column: "external_id", as: String.self))
                }
            var seenMessages = Set(known)
            var toStore: [Int] = []
            for index in fresh {
                let message = items[index].message
                if seenMessages.insert(Self.messageKey(message.unitId, message.provider.rawValue, message.externalId)).inserted {
                    toStore.append(index)
                } else {
                    results[index] = .duplicateMessage
                }
            }

            // 3. Contacts, one row per (unit, phone): the latest non-empty profile name wins.
            var contactRows: [String: [String: Any]] = [:]
            for index in toStore {
                let message = items[index].message
                let key = Self.contactKey(message.unitId, message.phone ?? "")
                var row = contactRows[key] ?? [
                    "id": UUID().uuidString, "unit_id": message.unitId.uuidString, "phone": message.phone ?? "",
                    "name": NSNull(), "at": message.receivedAt.timeIntervalSince1970,
                ]
                if let name = ContactUpsert.profileName(of: message) { row["name"] = name }
                row["at"] = max(row["at"] as? Double ?? 0, message.receivedAt.timeIntervalSince1970)
                contactRows[key] = row
            }
            var contactIds: [String: UUID] = [:]
            for row in try await sql.raw("""
                INSERT INTO contacts (id, unit_id, phone, name, created_at, updated_at)
                SELECT s.id, s.unit_id, s.phone, s.name, \(time("s.at")), \(time("s.at"))
                FROM \(table(contactRows.sorted { $0.key < $1.key }.map(\.value), Self.batchContactColumns)) WHERE true
                ON CONFLICT (unit_id, phone) DO UPDATE SET name = COALESCE(excluded.name, contacts.name),
                    updated_at = excluded.updated_at
                RETURNING id, unit_id, phone
                """).all() {
                contactIds[Self.contactKey(try row.uuid("unit_id"), try row.decode(column: "phone", as: String.self))] = try row.uuid("id")
            }

            // 4. Conversations, one per contact.
            let conversationRows: [[String: Any]] = contactRows.sorted { $0.key < $1.key }.compactMap { key, row in
                contactIds[key].map {
                    ["id": UUID().uuidString, "unit_id": row["unit_id"]!, "contact_id": $0.uuidString, "at": row["at"]!]
                }
            }
            var conversationIds: [UUID: UUID] = [:]
            for row in try await sql.raw("""
                INSERT INTO conversations (id, unit_id, contact_id, created_at, updated_at)
                SELECT s.id, s.unit_id, s.contact_id, \(time("s.at")), \(time("s.at"))
                FROM \(table(conversationRows, Self.batchConversationColumns)) WHERE true
                ON CONFLICT (unit_id, contact_id) DO UPDATE SET updated_at = excluded.updated_at
                RETURNING id, contact_id
                """).all() {
                conversationIds[try row.uuid("contact_id")] = try row.uuid("id")
            }

            // 5. The messages; one another listener stored meanwhile is not returned: a duplicate.
            var messageRows: [[String: Any]] = []
            var placed: [UUID: (index: Int, conversation: UUID)] = [:]
            for index in toStore {
                let message = items[index].message
                guard let contact = contactIds[Self.contactKey(message.unitId, message.phone ?? "")],
                      let conversation = conversationIds[contact] else {
                    throw CRMError(.internal, "A batched message lost its contact or conversation.")
                }
                let id = UUID()
                placed[id] = (index, conversation)
                messageRows.append([
                    "id": id.uuidString, "unit_id": message.unitId.uuidString, "conversation_id": conversation.uuidString,
                    "contact_id": contact.uuidString, "type": message.kind.rawValue, "body": message.body ?? NSNull(),
                    "external_id": message.externalId, "provider": message.provider.rawValue,
                    "sent_at": message.sentAt.timeIntervalSince1970, "received_at": message.receivedAt.timeIntervalSince1970,
                ])
            }
            let storedIds = try await sql.raw("""
                INSERT INTO messages (id, unit_id, conversation_id, contact_id, direction, type, body, external_id, provider,
                                      status, received_at, created_at, updated_at)
                SELECT s.id, s.unit_id, s.conversation_id, s.contact_id, 'inbound', s.type, s.body, s.external_id, s.provider,
                       'received', \(time("s.received_at")), \(time("s.sent_at")), \(time("s.received_at"))
                FROM \(table(messageRows, Self.batchMessageColumns)) WHERE true
                ON CONFLICT (unit_id, provider, external_id) DO NOTHING
                RETURNING id
                """).all().map { try $0.uuid("id") }
            let stored = Set(storedIds)
            for (id, place) in placed { results[place.index] = stored.contains(id) ? .stored(messageId: id) : .duplicateMessage }

            // 6. Each conversation's summary from its newest new message (as the one-by-one path's UPDATE).
            var newest: [UUID: (id: UUID, message: IncomingMessage, inbound: Date)] = [:]
            for (id, place) in placed where stored.contains(id) {
                let message = items[place.index].message
                let current = newest[place.conversation]
                let latestInbound = max(current?.inbound ?? message.sentAt, message.sentAt)
                if current == nil || current!.message.sentAt <= message.sentAt {
                    newest[place.conversation] = (id, message, latestInbound)
                } else {
                    newest[place.conversation]?.inbound = latestInbound
                }
            }
            let summaryRows: [[String: Any]] = newest.sorted { $0.key.uuidString < $1.key.uuidString }.map { conversation, entry in
                [
                    "conversation_id": conversation.uuidString, "message_id": entry.id.uuidString,
                    "preview": entry.message.body.map { String($0.prefix(100)) } ?? "[\(entry.message.kind.rawValue)]",
                    "at": entry.message.sentAt.timeIntervalSince1970, "inbound_at": entry.inbound.timeIntervalSince1970,
                    "now": entry.message.receivedAt.timeIntervalSince1970,
                ]
            }
            if !summaryRows.isEmpty {
                let newer: SQLQueryString = "(last_message_at IS NULL OR last_message_at <= \(time("s.at")))"
                try await sql.raw("""
                    UPDATE conversations SET
                        last_message_id = CASE WHEN \(newer) THEN s.message_id ELSE last_message_id END,
                        last_message_preview = CASE WHEN \(newer) THEN s.preview ELSE last_message_preview END,
                        last_message_at = CASE WHEN \(newer) THEN \(time("s.at")) ELSE last_message_at END,
                        last_inbound_at = CASE WHEN last_inbound_at IS NULL OR last_inbound_at < \(time("s.inbound_at"))
                            THEN \(time("s.inbound_at")) ELSE last_inbound_at END,
                        updated_at = \(time("s.now"))
                    FROM \(table(summaryRows, Self.batchSummaryColumns))
                    WHERE conversations.id = s.conversation_id
                    """).run()
            }
            return try results.map {
                guard let result = $0 else { throw CRMError(.internal, "A batched webhook was left without a result.") }
                return result
            }
        }
    }

    // MARK: rows as a table

    /// `rows` (JSON objects) as a table `s` with `columns` (name, PostgreSQL type).
    private func table(_ rows: [[String: Any]], _ columns: [(String, String)]) -> SQLQueryString {
        let json = (try? JSONSerialization.data(withJSONObject: rows)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        switch dialect {
        case .postgres:
            let definitions = columns.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            return "jsonb_to_recordset(\(bind: json)::jsonb) AS s(\(unsafeRaw: definitions))"
        case .sqlite:
            let selections = columns.map { "json_extract(value, '$.\($0.0)') AS \($0.0)" }.joined(separator: ", ")
            return "(SELECT \(unsafeRaw: selections) FROM json_each(\(bind: json))) AS s"
        }
    }

    /// A time column of such a table (seconds since 1970) as the dialect stores times.
    private func time(_ column: String) -> SQLQueryString {
        dialect == .postgres ? "to_timestamp(\(unsafeRaw: column))" : "\(unsafeRaw: column)"
    }

    private static func messageKey(_ unit: UUID, _ provider: String, _ externalId: String) -> String {
        "\(unit.uuidString)|\(provider)|\(externalId)"
    }

    private static func contactKey(_ unit: UUID, _ phone: String) -> String { "\(unit.uuidString)|\(phone)" }

    private static let batchBodyColumns = [
        ("id", "uuid"), ("unit_id", "uuid"), ("provider", "text"), ("event_type", "text"), ("instance", "text"),
        ("dedupe_key", "text"), ("body", "text"), ("result", "text"), ("received_at", "float8"),
    ]
    private static let batchMessageKeyColumns = [("unit_id", "uuid"), ("provider", "text"), ("external_id", "text")]
    private static let batchContactColumns = [("id", "uuid"), ("unit_id", "uuid"), ("phone", "text"), ("name", "text"), ("at", "float8")]
    private static let batchConversationColumns = [("id", "uuid"), ("unit_id", "uuid"), ("contact_id", "uuid"), ("at", "float8")]
    private static let batchMessageColumns = [
        ("id", "uuid"), ("unit_id", "uuid"), ("conversation_id", "uuid"), ("contact_id", "uuid"), ("type", "text"),
        ("body", "text"), ("external_id", "text"), ("provider", "text"), ("sent_at", "float8"), ("received_at", "float8"),
    ]
    private static let batchSummaryColumns = [
        ("conversation_id", "uuid"), ("message_id", "uuid"), ("preview", "text"), ("at", "float8"),
        ("inbound_at", "float8"), ("now", "float8"),
    ]

    private static func bodyRows(_ items: [InboundWebhook]) -> [[String: Any]] {
        items.map { item in
            let record = item.record
            return [
                "id": record.id.uuidString, "unit_id": record.unitId?.uuidString ?? NSNull(), "provider": record.provider.rawValue,
                "event_type": record.eventType, "instance": record.instance ?? NSNull(), "dedupe_key": record.dedupeKey,
                "body": record.body, "result": record.result.rawValue, "received_at": record.receivedAt.timeIntervalSince1970,
            ]
        }
    }

    private static func messageKeyRow(_ message: IncomingMessage) -> [String: Any] {
        ["unit_id": message.unitId.uuidString, "provider": message.provider.rawValue, "external_id": message.externalId]
    }
}
