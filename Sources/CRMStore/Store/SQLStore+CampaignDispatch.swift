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
            try await claim(campaignId: campaignId, limit: limit, owner: owner, until: until, now: now, starting: false, sql).map(\.recipient)
        }
    }

    /// The claim and the attempts in one transaction (one commit fewer per wave), for recipients
    /// sent as soon as they are claimed.
    package func claimAndStartAttempts(
        campaignId: UUID, limit: Int, owner: String, until: Date, now: Date, provider: ProviderKind
    ) async throws -> StartedRecipients {
        guard limit > 0 else { return StartedRecipients(recipients: [], messages: [:]) }
        return try await driver.transaction { sql in
            let claimed = try await claim(campaignId: campaignId, limit: limit, owner: owner, until: until, now: now, starting: true, sql)
            let messages = try await start(
                claimed.map(\.recipient), linked: Dictionary(uniqueKeysWithValues: claimed.map { ($0.recipient.id, $0.messageId) }),
                provider: provider, at: now, sql)
            return StartedRecipients(recipients: claimed.map(\.recipient).filter { messages[$0.id] != nil }, messages: messages)
        }
    }

    /// Claims due recipients; `starting` also marks their attempt started (in the claim's UPDATE).
    /// Each comes with the message an earlier attempt made, if any.
    private func claim(
        campaignId: UUID, limit: Int, owner: String, until: Date, now: Date, starting: Bool, _ sql: any SQLDatabase
    ) async throws -> [(recipient: ClaimedRecipient, messageId: UUID?)] {
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
                claimed_at = \(bind: now), updated_at = \(bind: now)\(starting ? ", attempt_started_at = \(bind: now)" : "" as SQLQueryString)
            WHERE id IN (\(due))
            RETURNING \(unsafeRaw: Self.claimedColumns), position, message_id,
                (SELECT CASE WHEN c.opted_out THEN 1 ELSE 0 END FROM contacts c WHERE c.id = campaign_recipients.contact_id) AS opted_out
            """).all()
        var claimed: [(position: Int, recipient: ClaimedRecipient, messageId: UUID?)] = []
        var optedOut: [UUID] = []
        for row in rows {
            let recipient = try Self.claimedRecipient(from: row)
            if try row.decode(column: "opted_out", as: Int.self) == 1 {
                optedOut.append(recipient.id)
            } else {
                let messageId: UUID? = try row.decodeNil(column: "message_id") ? nil : try row.uuid("message_id")
                claimed.append((try row.decode(column: "position", as: Int.self), recipient, messageId))
            }
        }
        if !optedOut.isEmpty {
            // The contact opted out after the campaign was created.
            try await sql.raw("""
                UPDATE campaign_recipients SET status = 'skipped', error = \(bind: Self.optedOutError), lease_owner = NULL,
                    lease_expires_at = NULL, attempt_started_at = NULL, updated_at = \(bind: now)
                WHERE id IN (\(binds: optedOut.map { $0 as any Encodable & Sendable }))
                """).run()
        }
        return claimed.sorted { $0.position < $1.position }.map { ($0.recipient, $0.messageId) }
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

    /// One transaction for the whole wave: the recipients (outcome, and the link to their message)
    /// in one UPDATE over a batch table, the messages sent as the outbound worker's group commit marks
    /// them (`recordSent`), those to retry or failed in one UPDATE each. A statement per outcome made
    /// the record the dispatch's largest cost.
    package func recordRecipientOutcomes(_ outcomes: [RecipientOutcome]) async throws {
        guard !outcomes.isEmpty else { return }
        for round in 1...3 {
            do {
                return try await driver.transaction { sql in try await record(outcomes, sql) }
            } catch StoreError.uniqueViolation where round < 3 {
                // A provider echo committed at the same instant: folded on the next round (SQLStore+SendEcho).
                continue
            }
        }
    }

    private func record(_ outcomes: [RecipientOutcome], _ sql: any SQLDatabase) async throws {
        var recipients = BatchTable([
            ("id", "uuid"), ("message_id", "uuid"), ("status", "text"), ("attempt", "float8"), ("sent_at", "float8"),
            ("next_attempt_at", "float8"), ("error", "text"), ("at", "float8"),
        ])
        var sent: [SentRecord] = []
        var unsettled = BatchTable([("id", "uuid"), ("attempts", "float8"), ("error", "text"), ("at", "float8")])
        var failed = BatchTable([("id", "uuid"), ("attempts", "float8"), ("code", "text"), ("error", "text"), ("at", "float8")])
        for outcome in outcomes {
            let at = outcome.at.timeIntervalSince1970
            let (id, message, attempts) = (Cell.id(outcome.recipientId), Cell.id(outcome.messageId), Cell.number(Double(outcome.attempts)))
            switch outcome.result {
            case .sent(let externalId):
                recipients.append([id, message, .text("sent"), attempts, .number(at), .null, .null, .number(at)])
                sent.append(SentRecord(id: outcome.messageId, externalId: externalId, attempts: outcome.attempts, date: outcome.at))
            case .retry(let nextAttemptAt, let error):
                recipients.append([id, message, .text("pending"), attempts, .null, .number(nextAttemptAt.timeIntervalSince1970), .text(error), .number(at)])
                unsettled.append([.id(outcome.messageId), attempts, .text(error), .number(at)])
            case .uncertain(let error):
                // Not retried by itself (`crm campaigns retry --uncertain`); the message stays queued.
                recipients.append([id, message, .text("uncertain"), attempts, .null, .null, .text(error), .number(at)])
                unsettled.append([.id(outcome.messageId), attempts, .text(error), .number(at)])
            case .failed(let code, let error):
                recipients.append([id, message, .text("failed"), attempts, .null, .null, .text(error), .number(at)])
                failed.append([.id(outcome.messageId), attempts, .text(code), .text(error), .number(at)])
            }
        }
        // Only a recipient still claimed (or found uncertain meanwhile) takes its outcome.
        try await sql.raw("""
            UPDATE campaign_recipients SET status = s.status, message_id = s.message_id, attempt = CAST(s.attempt AS INTEGER),
                sent_at = COALESCE(\(time("s.sent_at")), campaign_recipients.sent_at), attempt_started_at = NULL, lease_owner = NULL,
                lease_expires_at = NULL, next_attempt_at = \(time("s.next_attempt_at")), error = s.error, updated_at = \(time("s.at"))
            FROM \(recipients.source(dialect))
            WHERE campaign_recipients.id = s.id AND campaign_recipients.status IN ('claimed', 'uncertain')
            """).run()
        try await Self.recordSent(sql, sent)
        if !unsettled.isEmpty {
            try await sql.raw("""
                UPDATE messages SET retry_count = CAST(s.attempts AS INTEGER), error_message = s.error, updated_at = \(time("s.at"))
                FROM \(unsettled.source(dialect))
                WHERE messages.id = s.id AND messages.status = 'queued'
                """).run()
        }
        if !failed.isEmpty {
            try await sql.raw("""
                UPDATE messages SET status = 'failed', retry_count = CAST(s.attempts AS INTEGER), error_code = s.code,
                    error_message = s.error, failed_at = \(time("s.at")), updated_at = \(time("s.at"))
                FROM \(failed.source(dialect))
                WHERE messages.id = s.id AND messages.status = 'queued'
                """).run()
        }
    }

    private typealias Cell = BatchTable.Cell

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
