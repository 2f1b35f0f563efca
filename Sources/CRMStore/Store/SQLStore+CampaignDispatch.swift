import CRMCore
import Foundation
import SQLKit

/// The recipients' way through a dispatch: claims, attempts and outcomes (see `CampaignStore`).
/// On PostgreSQL claims lock what they pick with `FOR UPDATE … SKIP LOCKED`, so that several
/// dispatchers on one database get disjoint recipients; on SQLite the write transaction
/// (`BEGIN IMMEDIATE`) is held by one connection at a time.
extension SQLStore: CampaignStore {
    static let claimedColumns = "id, campaign_id, unit_id, contact_id, phone, body, attempt"
    /// Stored on a recipient found claimed, with its attempt started, by a dispatcher that is gone.
    static let uncertainError = "crm stopped during the provider call: the message may have been sent"

    package func claimRecipients(campaignId: UUID, limit: Int, owner: String, until: Date, now: Date) async throws
        -> [ClaimedRecipient]
    {
        guard limit > 0 else { return [] }
        return try await driver.transaction { sql in
            try await sql.raw("""
                UPDATE campaign_recipients SET
                    status = CASE WHEN attempt_started_at IS NULL THEN 'pending' ELSE 'uncertain' END,
                    error = CASE WHEN attempt_started_at IS NULL THEN error ELSE \(bind: Self.uncertainError) END,
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = \(bind: now)
                WHERE campaign_id = \(bind: campaignId) AND status = 'claimed' AND lease_expires_at < \(bind: now)
                """).run()
            var due: SQLQueryString = """
                SELECT r.id FROM campaign_recipients r
                WHERE r.campaign_id = \(bind: campaignId) AND r.status = 'pending'
                  AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= \(bind: now))
                ORDER BY r.position LIMIT \(unsafeRaw: String(limit))
                """
            if dialect == .postgres { due += " FOR UPDATE OF r SKIP LOCKED" }
            let rows = try await sql.raw("""
                UPDATE campaign_recipients SET status = 'claimed', lease_owner = \(bind: owner), lease_expires_at = \(bind: until),
                    claimed_at = \(bind: now), updated_at = \(bind: now)
                WHERE id IN (\(due))
                RETURNING \(unsafeRaw: Self.claimedColumns), position,
                    (SELECT CASE WHEN c.opted_out THEN 1 ELSE 0 END FROM contacts c WHERE c.id = campaign_recipients.contact_id) AS opted_out
                """).all()
            var claimed: [(position: Int, recipient: ClaimedRecipient)] = []
            var optedOut: [UUID] = []
            for row in rows {
                let recipient = try Self.claimedRecipient(from: row)
                if try row.decode(column: "opted_out", as: Int.self) == 1 {
                    optedOut.append(recipient.id)
                } else {
                    claimed.append((try row.decode(column: "position", as: Int.self), recipient))
                }
            }
            if !optedOut.isEmpty {
                // The contact opted out after the campaign was created.
                try await sql.raw("""
                    UPDATE campaign_recipients SET status = 'skipped', error = \(bind: Self.optedOutError), lease_owner = NULL,
                        lease_expires_at = NULL, updated_at = \(bind: now)
                    WHERE id IN (\(binds: optedOut.map { $0 as any Encodable & Sendable }))
                    """).run()
            }
            return claimed.sorted { $0.position < $1.position }.map(\.recipient)
        }
    }

    package func renewRecipientClaims(ownerPrefix: String, until: Date, now: Date) async throws {
        try await driver.transaction { sql in
            // The prefix is a dispatcher's name ("dispatch-<uuid>"): no LIKE wildcard in it.
            try await sql.raw("""
                UPDATE campaign_recipients SET lease_expires_at = \(bind: until)
                WHERE status = 'claimed' AND (lease_owner = \(bind: ownerPrefix) OR lease_owner LIKE \(bind: ownerPrefix + ":%"))
                """).run()
        }
    }

    package func releaseRecipients(ids: [UUID], owner: String, at date: Date) async throws {
        guard !ids.isEmpty else { return }
        try await driver.transaction { sql in
            try await sql.raw("""
                UPDATE campaign_recipients SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL, updated_at = \(bind: date)
                WHERE id IN (\(binds: ids.map { $0 as any Encodable & Sendable }))
                  AND lease_owner = \(bind: owner) AND status = 'claimed' AND attempt_started_at IS NULL
                """).run()
        }
    }

    /// One transaction: the attempt marked on the recipients still held, then their conversations
    /// and messages (created on a first attempt; the message's unique client message id makes a
    /// second creation impossible), each step for the whole group in one statement.
    package func startAttempts(_ recipients: [ClaimedRecipient], provider: ProviderKind, owner: String, at date: Date) async throws
        -> [UUID: Message]
    {
        guard !recipients.isEmpty else { return [:] }
        return try await driver.transaction { sql in
            let held = Set(try await sql.raw("""
                UPDATE campaign_recipients SET attempt_started_at = \(bind: date), updated_at = \(bind: date)
                WHERE id IN (\(binds: recipients.map { $0.id as any Encodable & Sendable }))
                  AND lease_owner = \(bind: owner) AND status = 'claimed'
                RETURNING id
                """).all().map { try $0.uuid("id") })
            let starting = recipients.filter { held.contains($0.id) }
            guard !starting.isEmpty else { return [:] }
            let at = date.timeIntervalSince1970

            var people = BatchTable([("id", "uuid"), ("unit_id", "uuid"), ("contact_id", "uuid"), ("at", "float8")])
            for contact in Set(starting.map { ContactKey(unit: $0.unitId, contact: $0.contactId) }).sorted(by: { $0.contact.uuidString < $1.contact.uuidString }) {
                people.append([.text(UUID().uuidString), .text(contact.unit.uuidString), .text(contact.contact.uuidString), .number(at)])
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

            var messages = BatchTable([
                ("id", "uuid"), ("unit_id", "uuid"), ("conversation_id", "uuid"), ("contact_id", "uuid"), ("campaign_id", "uuid"),
                ("body", "text"), ("client_message_id", "text"), ("retry_count", "float8"), ("at", "float8"),
            ])
            for recipient in starting {
                guard let conversation = conversations[recipient.contactId] else {
                    throw CRMError(.internal, "A campaign message's conversation was not recorded.")
                }
                messages.append([
                    .text(UUID().uuidString), .text(recipient.unitId.uuidString), .text(conversation.uuidString),
                    .text(recipient.contactId.uuidString), .text(recipient.campaignId.uuidString), .text(recipient.body),
                    .text(recipient.clientMessageId), .number(Double(min(recipient.attempt, OutboundDelivery.maxAttempts))), .number(at),
                ])
            }
            try await sql.raw("""
                INSERT INTO messages (id, unit_id, conversation_id, contact_id, campaign_id, direction, type, body, client_message_id,
                                      provider, status, retry_count, queued_at, created_at, updated_at)
                SELECT s.id, s.unit_id, s.conversation_id, s.contact_id, s.campaign_id, 'outbound', 'text', s.body, s.client_message_id,
                       \(bind: provider.rawValue), 'queued', CAST(s.retry_count AS INTEGER), \(time("s.at")), \(time("s.at")), \(time("s.at"))
                FROM \(messages.source(dialect)) WHERE true
                ON CONFLICT (unit_id, client_message_id) DO NOTHING
                """).run()
            let byClientId = Dictionary(uniqueKeysWithValues: starting.map { ($0.clientMessageId, $0.id) })
            var started: [UUID: Message] = [:]
            let unitIds = Set(starting.map(\.unitId)).map { $0 as any Encodable & Sendable }
            for row in try await sql.raw("""
                SELECT \(unsafeRaw: Self.messageColumns) FROM messages m
                WHERE m.unit_id IN (\(binds: unitIds)) AND m.client_message_id IN (\(binds: Array(byClientId.keys)))
                """).all() {
                let message = try Self.message(from: row)
                if let clientId = message.clientMessageId, let recipient = byClientId[clientId] { started[recipient] = message }
            }
            var links = BatchTable([("id", "uuid"), ("message_id", "uuid")])
            for (recipient, message) in started { links.append([.text(recipient.uuidString), .text(message.id.uuidString)]) }
            try await sql.raw("""
                UPDATE campaign_recipients SET message_id = s.message_id FROM \(links.source(dialect))
                WHERE campaign_recipients.id = s.id
                """).run()
            try await sql.raw("""
                UPDATE conversations SET last_message_id = s.message_id, last_message_at = \(bind: date),
                    last_message_preview = s.preview, updated_at = \(bind: date)
                FROM \(lastMessages(started.values).source(dialect))
                WHERE conversations.id = s.id
                """).run()
            return started
        }
    }

    private struct ContactKey: Hashable {
        var unit: UUID
        var contact: UUID
    }

    private func lastMessages(_ messages: some Sequence<Message>) -> BatchTable {
        var table = BatchTable([("id", "uuid"), ("message_id", "uuid"), ("preview", "text")])
        var seen = Set<UUID>()
        for message in messages where seen.insert(message.conversationId).inserted {
            table.append([.text(message.conversationId.uuidString), .text(message.id.uuidString), .text(String((message.body ?? "").prefix(100)))])
        }
        return table
    }

    package func recordRecipientOutcomes(_ outcomes: [RecipientOutcome]) async throws {
        guard !outcomes.isEmpty else { return }
        for round in 1...3 {
            do {
                return try await driver.transaction { sql in
                    for outcome in outcomes { try await record(outcome, sql) }
                }
            } catch StoreError.uniqueViolation where round < 3 {
                // A provider echo committed at the same instant: folded on the next round (SQLStore+SendEcho).
                continue
            }
        }
    }

    private func record(_ outcome: RecipientOutcome, _ sql: any SQLDatabase) async throws {
        let ended: SQLQueryString = """
            WHERE id = \(bind: outcome.recipientId) AND status IN ('claimed', 'uncertain')
            """
        switch outcome.result {
        case .sent(let externalId):
            try await sql.raw("""
                UPDATE campaign_recipients SET status = 'sent', attempt = \(bind: outcome.attempts), sent_at = \(bind: outcome.at),
                    attempt_started_at = NULL, lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL, error = NULL,
                    updated_at = \(bind: outcome.at)
                \(ended)
                """).run()
            try await Self.recordSent(sql, id: outcome.messageId, externalId: externalId, attempts: outcome.attempts, at: outcome.at)
        case .retry(let nextAttemptAt, let error):
            try await sql.raw("""
                UPDATE campaign_recipients SET status = 'pending', attempt = \(bind: outcome.attempts), attempt_started_at = NULL,
                    lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = \(bind: nextAttemptAt), error = \(bind: error),
                    updated_at = \(bind: outcome.at)
                \(ended)
                """).run()
            try await sql.raw("""
                UPDATE messages SET retry_count = \(bind: outcome.attempts), error_message = \(bind: error), updated_at = \(bind: outcome.at)
                WHERE id = \(bind: outcome.messageId) AND status = 'queued'
                """).run()
        case .uncertain(let error):
            try await sql.raw("""
                UPDATE campaign_recipients SET status = 'uncertain', attempt = \(bind: outcome.attempts), attempt_started_at = NULL,
                    lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL, error = \(bind: error),
                    updated_at = \(bind: outcome.at)
                \(ended)
                """).run()
            try await sql.raw("""
                UPDATE messages SET retry_count = \(bind: outcome.attempts), error_message = \(bind: error), updated_at = \(bind: outcome.at)
                WHERE id = \(bind: outcome.messageId) AND status = 'queued'
                """).run()
        case .failed(let code, let error):
            try await sql.raw("""
                UPDATE campaign_recipients SET status = 'failed', attempt = \(bind: outcome.attempts), attempt_started_at = NULL,
                    lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL, error = \(bind: error),
                    updated_at = \(bind: outcome.at)
                \(ended)
                """).run()
            try await sql.raw("""
                UPDATE messages SET status = 'failed', retry_count = \(bind: outcome.attempts), error_code = \(bind: code),
                    error_message = \(bind: error), failed_at = \(bind: outcome.at), updated_at = \(bind: outcome.at)
                WHERE id = \(bind: outcome.messageId) AND status = 'queued'
                """).run()
        }
    }

    package func completeCampaignIfDone(id: UUID, at date: Date) async throws -> Bool {
        try await driver.transaction { sql in
            try await sql.raw("""
                UPDATE campaigns SET status = 'completed', completed_at = \(bind: date), updated_at = \(bind: date)
                WHERE id = \(bind: id) AND status = 'running'
                  AND NOT EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.campaign_id = \(bind: id) AND r.status IN ('pending', 'claimed'))
                RETURNING id
                """).first() != nil
        }
    }

    package func cancelCampaign(id: UUID, at date: Date) async throws -> Bool {
        try await driver.transaction { sql in
            guard try await sql.raw("""
                UPDATE campaigns SET status = 'cancelled', cancelled_at = \(bind: date), updated_at = \(bind: date)
                WHERE id = \(bind: id) AND status IN ('draft', 'running', 'paused')
                RETURNING id
                """).first() != nil else { return false }
            try await sql.raw("""
                UPDATE campaign_recipients SET status = 'skipped', error = 'campaign cancelled', updated_at = \(bind: date)
                WHERE campaign_id = \(bind: id) AND status = 'pending'
                """).run()
            // Recipients waiting for a retry had a queued message: it will never be sent.
            try await sql.raw("""
                UPDATE messages SET status = 'failed', error_message = 'campaign cancelled', failed_at = \(bind: date),
                    updated_at = \(bind: date)
                WHERE campaign_id = \(bind: id) AND status = 'queued'
                  AND id IN (SELECT r.message_id FROM campaign_recipients r WHERE r.campaign_id = \(bind: id) AND r.status = 'skipped')
                """).run()
            return true
        }
    }

    package func retryUncertainRecipients(campaignId: UUID, at date: Date) async throws -> Int {
        try await driver.transaction { sql in
            let count = try await sql.raw("""
                UPDATE campaign_recipients SET status = 'pending', attempt = 0, attempt_started_at = NULL, next_attempt_at = NULL,
                    error = NULL, updated_at = \(bind: date)
                WHERE campaign_id = \(bind: campaignId) AND status = 'uncertain'
                RETURNING id
                """).all().count
            if count > 0 {
                // Their messages start over: the next attempt sends them again under the same client message id.
                try await sql.raw("""
                    UPDATE messages SET retry_count = 0, error_message = NULL, updated_at = \(bind: date)
                    WHERE campaign_id = \(bind: campaignId) AND status = 'queued'
                    """).run()
                try await sql.raw("""
                    UPDATE campaigns SET status = 'paused', completed_at = NULL, updated_at = \(bind: date)
                    WHERE id = \(bind: campaignId) AND status = 'completed'
                    """).run()
            }
            return count
        }
    }

    static func claimedRecipient(from row: any SQLRow) throws -> ClaimedRecipient {
        ClaimedRecipient(
            id: try row.uuid("id"), campaignId: try row.uuid("campaign_id"), unitId: try row.uuid("unit_id"),
            contactId: try row.uuid("contact_id"), phone: try row.decode(column: "phone", as: String.self),
            body: try row.decode(column: "body", as: String.self), attempt: try row.decode(column: "attempt", as: Int.self))
    }
}
