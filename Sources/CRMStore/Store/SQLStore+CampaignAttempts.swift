import CRMCore
import Foundation
import SQLKit

extension SQLStore {
    /// One transaction, four statements for the whole wave in the common case: the attempt marked
    /// on the recipients still held; their conversations; the messages of first attempts (the
    /// message's unique client message id makes a second creation impossible), returned as stored;
    /// the conversations' last message. Messages made by an earlier attempt are read back (a fifth
    /// statement). The recipient is linked to its message when its outcome is recorded.
    package func startAttempts(_ recipients: [ClaimedRecipient], provider: ProviderKind, owner: String, at date: Date) async throws
        -> [UUID: Message]
    {
        guard !recipients.isEmpty else { return [:] }
        return try await driver.transaction { sql in
            var linked: [UUID: UUID?] = [:]  // held recipient → the message an earlier attempt made
            for row in try await sql.raw("""
                UPDATE campaign_recipients SET attempt_started_at = \(bind: date), updated_at = \(bind: date)
                WHERE id IN (\(binds: recipients.map { $0.id as any Encodable & Sendable }))
                  AND lease_owner = \(bind: owner) AND status = 'claimed'
                RETURNING id, message_id
                """).all() {
                let message: UUID? = try row.decodeNil(column: "message_id") ? nil : try row.uuid("message_id")
                linked.updateValue(message, forKey: try row.uuid("id"))
            }
            return try await start(recipients, linked: linked, provider: provider, at: date, sql)
        }
    }

    /// The rest of `startAttempts` for the recipients in `linked` (their attempt marked started,
    /// with the message an earlier attempt made): conversations, messages, last messages.
    func start(
        _ recipients: [ClaimedRecipient], linked: [UUID: UUID?], provider: ProviderKind, at date: Date, _ sql: any SQLDatabase
    ) async throws -> [UUID: Message] {
        let starting = recipients.filter { linked[$0.id] != nil }
        guard !starting.isEmpty else { return [:] }
        let conversations = try await openConversations(for: starting, at: date, sql)

        // First attempts: their new messages, returned as stored.
        let at = date.timeIntervalSince1970
        var messages = BatchTable([
            ("id", "uuid"), ("unit_id", "uuid"), ("conversation_id", "uuid"), ("contact_id", "uuid"), ("campaign_id", "uuid"),
            ("body", "text"), ("client_message_id", "text"), ("retry_count", "float8"), ("at", "float8"),
        ])
        for recipient in starting where linked[recipient.id] == .some(nil) {
            guard let conversation = conversations[recipient.contactId] else {
                throw CRMError(.internal, "A campaign message's conversation was not recorded.")
            }
            messages.append([
                .id(.timeOrdered()), .id(recipient.unitId), .id(conversation), .id(recipient.contactId), .id(recipient.campaignId),
                .text(recipient.body), .text(recipient.clientMessageId),
                .number(Double(min(recipient.attempt, OutboundDelivery.maxAttempts))), .number(at),
            ])
        }
        var started: [UUID: Message] = [:]
        if !messages.isEmpty {
            let byClientId = Dictionary(uniqueKeysWithValues: starting.map { ($0.clientMessageId, $0.id) })
            for row in try await sql.raw("""
                INSERT INTO messages (id, unit_id, conversation_id, contact_id, campaign_id, direction, type, body, client_message_id,
                                      provider, status, retry_count, queued_at, created_at, updated_at)
                SELECT s.id, s.unit_id, s.conversation_id, s.contact_id, s.campaign_id, 'outbound', 'text', s.body, s.client_message_id,
                       \(bind: provider.rawValue), 'queued', CAST(s.retry_count AS INTEGER), \(time("s.at")), \(time("s.at")), \(time("s.at"))
                FROM \(messages.source(dialect)) WHERE true
                ON CONFLICT (unit_id, client_message_id) DO NOTHING
                RETURNING \(unsafeRaw: Self.returnedMessageColumns)
                """).all() {
                let message = try Self.message(from: row)
                if let clientId = message.clientMessageId, let recipient = byClientId[clientId] { started[recipient] = message }
            }
        }
        let others = starting.filter { started[$0.id] == nil }
        if !others.isEmpty {
            try await readMessages(of: others, into: &started, sql)
        }
        try await sql.raw("""
            UPDATE conversations SET last_message_id = s.message_id, last_message_at = \(bind: date),
                last_message_preview = s.preview, updated_at = \(bind: date)
            FROM \(lastMessages(started.values).source(dialect))
            WHERE conversations.id = s.id
            """).run()
        return started
    }

    /// The message columns as an INSERT … RETURNING names them (no table alias).
    static let returnedMessageColumns = messageColumns.replacingOccurrences(of: "m.", with: "")

    /// Each contact's conversation, created when missing: contact id → conversation id.
    private func openConversations(for recipients: [ClaimedRecipient], at date: Date, _ sql: any SQLDatabase) async throws -> [UUID: UUID] {
        var people = BatchTable([("id", "uuid"), ("unit_id", "uuid"), ("contact_id", "uuid"), ("at", "float8")])
        var seen = Set<UUID>()
        for recipient in recipients where seen.insert(recipient.contactId).inserted {
            people.append([.id(.timeOrdered()), .id(recipient.unitId), .id(recipient.contactId), .number(date.timeIntervalSince1970)])
        }
        var conversations: [UUID: UUID] = [:]
        for row in try await sql.raw("""
            INSERT INTO conversations (id, unit_id, contact_id, created_at, updated_at)
            SELECT s.id, s.unit_id, s.contact_id, \(time("s.at")), \(time("s.at")) FROM \(people.source(dialect)) WHERE true
            ON CONFLICT (unit_id, contact_id) DO UPDATE SET last_message_at = conversations.last_message_at
            RETURNING id, contact_id
            """).all() {
            conversations[try row.uuid("contact_id")] = try row.uuid("id")
        }
        return conversations
    }

    /// Later attempts (and a first one whose message already existed): the messages by client message id.
    private func readMessages(of recipients: [ClaimedRecipient], into started: inout [UUID: Message], _ sql: any SQLDatabase) async throws {
        let byClientId = Dictionary(uniqueKeysWithValues: recipients.map { ($0.clientMessageId, $0.id) })
        let unitIds = Set(recipients.map(\.unitId)).map { $0 as any Encodable & Sendable }
        for row in try await sql.raw("""
            SELECT \(unsafeRaw: Self.messageColumns) FROM messages m
            WHERE m.unit_id IN (\(binds: unitIds)) AND m.client_message_id IN (\(binds: Array(byClientId.keys)))
            """).all() {
            let message = try Self.message(from: row)
            if let clientId = message.clientMessageId, let recipient = byClientId[clientId] { started[recipient] = message }
        }
    }

    private func lastMessages(_ messages: some Sequence<Message>) -> BatchTable {
        var table = BatchTable([("id", "uuid"), ("message_id", "uuid"), ("preview", "text")])
        var seen = Set<UUID>()
        for message in messages where seen.insert(message.conversationId).inserted {
            table.append([.id(message.conversationId), .id(message.id), .text(String((message.body ?? "").prefix(100)))])
        }
        return table
    }
}
