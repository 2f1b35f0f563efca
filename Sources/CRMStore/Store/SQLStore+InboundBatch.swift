import CRMCore
import Foundation
import SQLKit

/// Plain inbound messages in batches. On PostgreSQL the whole batch is one call of the function
/// migration 0011 creates (`SQLStore+InboundBatchFunction.swift`); on SQLite, where a statement
/// costs no round trip, one transaction of six statements written here (bodies, the messages
/// already stored, contacts, conversations, messages, summaries; a seventh when a message is an
/// opt-out keyword), the rows passed as one parameter per statement (`BatchTable`). The decisions
/// the one-by-one path makes with a round trip each (is this body new, is this message new) are
/// made here from each statement's RETURNING.
/// Contacts, conversations and summaries are written in a fixed order (by key), so that two
/// batches running at once lock shared rows in the same order and never deadlock.
extension SQLStore: InboundBatchStore {
    package func storeInboundBatch(_ items: [InboundWebhook]) async throws -> [InboundBatchResult] {
        guard !items.isEmpty else { return [] }
        return switch dialect {
        case .postgres: try await storeInboundBatchInOneCall(items)
        case .sqlite: try await storeInboundBatchInStatements(items)
        }
    }

    package var takesBodiesAsJSON: Bool { dialect == .sqlite }

    /// The key that makes a body the same as another (the unique key of webhook_events).
    static func bodyKey(_ record: StoredWebhookEvent) -> String {
        "\(record.unitId?.text ?? "")|\(record.provider.rawValue)|\(record.dedupeKey)"
    }

    private func storeInboundBatchInStatements(_ items: [InboundWebhook]) async throws -> [InboundBatchResult] {
        try await driver.transaction { sql in
            var results = [InboundBatchResult?](repeating: nil, count: items.count)

            // 1. The bodies. A body twice in the batch, or already stored, is left to the one-by-one path.
            var seenBodies = Set<String>()
            var bodies = BatchTable(Self.batchBodyColumns)
            var candidates: [Int] = []
            for (index, item) in items.enumerated() {
                let record = item.record
                guard seenBodies.insert(Self.bodyKey(record)).inserted else {
                    results[index] = .bodyAlreadyStored
                    continue
                }
                candidates.append(index)
                bodies.append([
                    .id(record.id), record.unitId.map(BatchTable.Cell.id) ?? .null, .text(record.provider.rawValue),
                    .text(record.eventType), .text(record.instance), .text(record.dedupeKey),
                    .encoded(item.bodyJSON ?? InboundWebhook.jsonString(record.body)),
                    .text(record.result.rawValue), .number(record.receivedAt.timeIntervalSince1970),
                ])
            }
            let newBodies = Set(try await sql.raw("""
                INSERT INTO webhook_events (id, unit_id, provider, event_type, instance, dedupe_key, body, result, attempts,
                                            received_at, applied_at)
                SELECT s.id, s.unit_id, s.provider, s.event_type, s.instance, s.dedupe_key, s.body, s.result, 1,
                       \(time("s.received_at")), \(time("s.received_at"))
                FROM \(bodies.source(dialect)) WHERE true
                ON CONFLICT (unit_id, provider, dedupe_key) DO NOTHING
                RETURNING id
                """).all().map { try $0.uuid("id") })
            var fresh: [Int] = []
            var keys = BatchTable(Self.batchMessageKeyColumns)
            for index in candidates {
                guard newBodies.contains(items[index].record.id) else {
                    results[index] = .bodyAlreadyStored
                    continue
                }
                fresh.append(index)
                let message = items[index].message
                keys.append([.id(message.unitId), .text(message.provider.rawValue), .text(message.externalId)])
            }

            // 2. Messages already stored (another body carried them), and the same message twice in the batch.
            var seenMessages = Set<String>()
            if !keys.isEmpty {
                for row in try await sql.raw("""
                    SELECT m.unit_id, m.provider, m.external_id FROM messages m
                    JOIN \(keys.source(dialect)) ON m.unit_id = s.unit_id AND m.provider = s.provider AND m.external_id = s.external_id
                    """).all() {
                    seenMessages.insert(Self.messageKey(try row.uuid("unit_id"), try row.decode(column: "provider", as: String.self),
                                                        try row.decode(column: "external_id", as: String.self)))
                }
            }
            var toStore: [Int] = []
            for index in fresh {
                let message = items[index].message
                if seenMessages.insert(Self.messageKey(message.unitId, message.provider.rawValue, message.externalId)).inserted {
                    toStore.append(index)
                } else {
                    results[index] = .duplicateMessage
                }
            }
            guard !toStore.isEmpty else { return try Self.complete(results) }

            // 3. Contacts, one row per (unit, phone): the latest non-empty profile name wins.
            var people: [String: (unit: UUID, phone: String, name: String?, at: Date)] = [:]
            for index in toStore {
                let message = items[index].message
                let key = Self.contactKey(message.unitId, message.phone ?? "")
                let known = people[key]
                people[key] = (message.unitId, message.phone ?? "", ContactUpsert.profileName(of: message) ?? known?.name,
                               max(known?.at ?? message.receivedAt, message.receivedAt))
            }
            let order = people.keys.sorted()
            var contacts = BatchTable(Self.batchContactColumns)
            for key in order {
                let person = people[key]!
                contacts.append([
                    .id(.timeOrdered()), .id(person.unit), .text(person.phone), .text(person.name),
                    .number(person.at.timeIntervalSince1970),
                ])
            }
            var contactIds: [String: UUID] = [:]
            for row in try await sql.raw("""
                INSERT INTO contacts (id, unit_id, phone, name, created_at, updated_at)
                SELECT s.id, s.unit_id, s.phone, s.name, \(time("s.at")), \(time("s.at"))
                FROM \(contacts.source(dialect)) WHERE true
                ON CONFLICT (unit_id, phone) DO UPDATE SET name = COALESCE(excluded.name, contacts.name),
                    updated_at = excluded.updated_at
                RETURNING id, unit_id, phone
                """).all() {
                contactIds[Self.contactKey(try row.uuid("unit_id"), try row.decode(column: "phone", as: String.self))] = try row.uuid("id")
            }

            // 4. Conversations, one per contact.
            var conversations = BatchTable(Self.batchConversationColumns)
            for key in order {
                guard let contact = contactIds[key] else { throw CRMError(.internal, "A batched contact was not recorded.") }
                let person = people[key]!
                conversations.append([
                    .id(.timeOrdered()), .id(person.unit), .id(contact),
                    .number(person.at.timeIntervalSince1970),
                ])
            }
            var conversationIds: [UUID: UUID] = [:]
            for row in try await sql.raw("""
                INSERT INTO conversations (id, unit_id, contact_id, created_at, updated_at)
                SELECT s.id, s.unit_id, s.contact_id, \(time("s.at")), \(time("s.at"))
                FROM \(conversations.source(dialect)) WHERE true
                ON CONFLICT (unit_id, contact_id) DO UPDATE SET updated_at = excluded.updated_at
                RETURNING id, contact_id
                """).all() {
                conversationIds[try row.uuid("contact_id")] = try row.uuid("id")
            }

            // 5. The messages; one another listener stored meanwhile is not returned: a duplicate.
            var messages = BatchTable(Self.batchMessageColumns)
            var placed: [UUID: (index: Int, conversation: UUID)] = [:]
            for index in toStore {
                let message = items[index].message
                guard let contact = contactIds[Self.contactKey(message.unitId, message.phone ?? "")],
                      let conversation = conversationIds[contact] else {
                    throw CRMError(.internal, "A batched message lost its contact or conversation.")
                }
                let id = UUID.timeOrdered()
                placed[id] = (index, conversation)
                messages.append([
                    .id(id), .id(message.unitId), .id(conversation), .id(contact),
                    .text(message.kind.rawValue), .text(message.body), .text(message.externalId), .text(message.provider.rawValue),
                    .number(message.sentAt.timeIntervalSince1970), .number(message.receivedAt.timeIntervalSince1970),
                ])
            }
            let stored = Set(try await sql.raw("""
                INSERT INTO messages (id, unit_id, conversation_id, contact_id, direction, type, body, external_id, provider,
                                      status, received_at, created_at, updated_at)
                SELECT s.id, s.unit_id, s.conversation_id, s.contact_id, 'inbound', s.type, s.body, s.external_id, s.provider,
                       'received', \(time("s.received_at")), \(time("s.sent_at")), \(time("s.received_at"))
                FROM \(messages.source(dialect)) WHERE true
                ON CONFLICT (unit_id, provider, external_id) DO NOTHING
                RETURNING id
                """).all().map { try $0.uuid("id") })
            for (id, place) in placed { results[place.index] = stored.contains(id) ? .stored(messageId: id) : .duplicateMessage }

            // 6. Contacts whose new message is an opt-out keyword (rare: no statement without one).
            var optingOut: [UUID: Date] = [:]
            for (id, place) in placed where stored.contains(id) && items[place.index].message.optsOut {
                let message = items[place.index].message
                if let contact = contactIds[Self.contactKey(message.unitId, message.phone ?? "")] {
                    optingOut[contact] = min(optingOut[contact] ?? message.receivedAt, message.receivedAt)
                }
            }
            try await markOptedOut(sql, optingOut)

            // 7. Each conversation's summary from its newest new message (as the one-by-one path's UPDATE).
            var newest: [UUID: (id: UUID, message: IncomingMessage, inbound: Date)] = [:]
            for (id, place) in placed where stored.contains(id) {
                let message = items[place.index].message
                let current = newest[place.conversation]
                let latestInbound = max(current?.inbound ?? message.sentAt, message.sentAt)
                if let current, current.message.sentAt > message.sentAt {
                    newest[place.conversation]?.inbound = latestInbound
                } else {
                    newest[place.conversation] = (id, message, latestInbound)
                }
            }
            var summaries = BatchTable(Self.batchSummaryColumns)
            for conversation in newest.keys.sorted(by: { $0.text < $1.text }) {
                let entry = newest[conversation]!
                summaries.append([
                    .id(conversation), .id(entry.id),
                    .text(Self.conversationPreview(entry.message)),
                    .number(entry.message.sentAt.timeIntervalSince1970), .number(entry.inbound.timeIntervalSince1970),
                    .number(entry.message.receivedAt.timeIntervalSince1970),
                ])
            }
            if !summaries.isEmpty {
                let newer: SQLQueryString = "(last_message_at IS NULL OR last_message_at <= \(time("s.at")))"
                try await sql.raw("""
                    UPDATE conversations SET
                        last_message_id = CASE WHEN \(newer) THEN s.message_id ELSE last_message_id END,
                        last_message_preview = CASE WHEN \(newer) THEN s.preview ELSE last_message_preview END,
                        last_message_at = CASE WHEN \(newer) THEN \(time("s.at")) ELSE last_message_at END,
                        last_inbound_at = CASE WHEN last_inbound_at IS NULL OR last_inbound_at < \(time("s.inbound_at"))
                            THEN \(time("s.inbound_at")) ELSE last_inbound_at END,
                        updated_at = \(time("s.now"))
                    FROM \(summaries.source(dialect))
                    WHERE conversations.id = s.conversation_id
                    """).run()
            }
            return try Self.complete(results)
        }
    }

    private static func complete(_ results: [InboundBatchResult?]) throws -> [InboundBatchResult] {
        try results.map {
            guard let result = $0 else { throw CRMError(.internal, "A batched webhook was left without a result.") }
            return result
        }
    }

    private static func messageKey(_ unit: UUID, _ provider: String, _ externalId: String) -> String {
        "\(unit.text)|\(provider)|\(externalId)"
    }

    private static func contactKey(_ unit: UUID, _ phone: String) -> String { "\(unit.text)|\(phone)" }

    private static let batchBodyColumns: [(name: String, type: String)] = [
        ("id", "uuid"), ("unit_id", "uuid"), ("provider", "text"), ("event_type", "text"), ("instance", "text"),
        ("dedupe_key", "text"), ("body", "text"), ("result", "text"), ("received_at", "float8"),
    ]
    private static let batchMessageKeyColumns: [(name: String, type: String)] = [("unit_id", "uuid"), ("provider", "text"), ("external_id", "text")]
    private static let batchContactColumns: [(name: String, type: String)] = [("id", "uuid"), ("unit_id", "uuid"), ("phone", "text"), ("name", "text"), ("at", "float8")]
    private static let batchConversationColumns: [(name: String, type: String)] = [("id", "uuid"), ("unit_id", "uuid"), ("contact_id", "uuid"), ("at", "float8")]
    private static let batchMessageColumns: [(name: String, type: String)] = [
        ("id", "uuid"), ("unit_id", "uuid"), ("conversation_id", "uuid"), ("contact_id", "uuid"), ("type", "text"),
        ("body", "text"), ("external_id", "text"), ("provider", "text"), ("sent_at", "float8"), ("received_at", "float8"),
    ]
    private static let batchSummaryColumns: [(name: String, type: String)] = [
        ("conversation_id", "uuid"), ("message_id", "uuid"), ("preview", "text"), ("at", "float8"),
        ("inbound_at", "float8"), ("now", "float8"),
    ]
}
