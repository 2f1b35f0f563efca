import CRMCore
import Foundation
import SQLKit

/// Creating campaigns and reading them back. Recipients are written in chunks of
/// `recipientChunk` rows, each chunk two statements (contacts, recipients) taking its rows as one
/// JSON parameter (`BatchTable`): 100,000 recipients are 40 round trips, not 200,000. Each chunk's
/// rows are encoded while the previous chunk's statements run.
extension SQLStore {
    static let campaignColumns = """
        id, unit_id, name, body_template, status, rate_count, rate_period_ms, batch_size, batch_pause_ms, jitter_ms,
        window_start, window_end, started_at, completed_at, cancelled_at, created_at, updated_at
        """
    static let recipientChunk = 5_000

    package func createCampaign(_ new: NewCampaign) async throws -> CampaignCreated {
        try await driver.transaction { sql in
            let pacing = new.pacing
            try await sql.raw("""
                INSERT INTO campaigns (id, unit_id, name, body_template, status, rate_count, rate_period_ms, batch_size,
                                       batch_pause_ms, jitter_ms, window_start, window_end, created_by, created_at, updated_at)
                VALUES (\(bind: new.id), \(bind: new.unitId), \(bind: new.name), \(bind: new.bodyTemplate), 'draft',
                        \(bind: pacing.rate.count), \(bind: Self.milliseconds(pacing.rate.period)), \(bind: pacing.batchSize),
                        \(bind: Self.milliseconds(pacing.batchPause)), \(bind: Self.milliseconds(pacing.jitter)),
                        \(bind: pacing.window?.startText), \(bind: pacing.window?.endText), \(bind: new.createdBy),
                        \(bind: new.createdAt), \(bind: new.createdAt))
                """).run()
            var optedOut = 0
            var created = 0
            let starts = Array(stride(from: 0, to: new.recipients.count, by: Self.recipientChunk))
            var prepared = starts.first.map { Self.prepareChunk(of: new, from: $0) }
            for index in starts.indices {
                guard let current = prepared else { break }
                // The next chunk is encoded while this one's statements run.
                async let following = index + 1 < starts.count ? Self.prepareChunk(of: new, from: starts[index + 1]) : nil
                let written = try await insertRecipients(current, of: new, sql)
                optedOut += written.optedOut
                created += written.created
                prepared = await following
            }
            guard let campaign = try await Self.campaign(sql, id: new.id) else {
                throw CRMError(.internal, "The campaign could not be recorded.")
            }
            return CampaignCreated(campaign: campaign, recipients: new.recipients.count - optedOut, optedOut: optedOut,
                                   contactsCreated: created)
        }
    }

    /// A chunk's rows, encoded ahead: the contacts table whole, and each recipient's own cells (its
    /// contact and status come from the contacts statement).
    struct PreparedChunk: Sendable {
        var start: Int
        var contacts: BatchTable
        var recipients: [(id: BatchTable.Cell, phone: BatchTable.Cell, variables: BatchTable.Cell, body: BatchTable.Cell)]
    }

    static func prepareChunk(of new: NewCampaign, from start: Int) -> PreparedChunk {
        let chunk = new.recipients[start..<min(start + recipientChunk, new.recipients.count)]
        let at = new.createdAt.timeIntervalSince1970
        var contacts = BatchTable([("id", "uuid"), ("unit_id", "uuid"), ("phone", "text"), ("name", "text"), ("at", "float8")])
        var recipients: [(id: BatchTable.Cell, phone: BatchTable.Cell, variables: BatchTable.Cell, body: BatchTable.Cell)] = []
        recipients.reserveCapacity(chunk.count)
        for recipient in chunk {
            contacts.append([.id(.timeOrdered()), .id(new.unitId), .text(recipient.phone), .text(recipient.name), .number(at)])
            recipients.append((.preEncoded(.id(.timeOrdered())), .preEncoded(.text(recipient.phone)),
                               .preEncoded(.text(JSONText.object(recipient.variables))), .preEncoded(.text(recipient.body))))
        }
        contacts.encode()
        return PreparedChunk(start: start, contacts: contacts, recipients: recipients)
    }

    /// One chunk: the contacts (created, or their name updated when the file gives one), then the
    /// recipients, skipped when their contact has opted out.
    private func insertRecipients(_ chunk: PreparedChunk, of new: NewCampaign, _ sql: any SQLDatabase) async throws
        -> (optedOut: Int, created: Int)
    {
        // `created_at = updated_at` tells a contact this statement created from one it updated. A
        // contact whose name does not change is not written again, and not returned: read below.
        var known: [String: (id: UUID, optedOut: Bool)] = [:]
        known.reserveCapacity(chunk.recipients.count)
        var created = 0
        for row in try await sql.raw("""
            INSERT INTO contacts (id, unit_id, phone, name, created_at, updated_at)
            SELECT s.id, s.unit_id, s.phone, s.name, \(time("s.at")), \(time("s.at"))
            FROM \(chunk.contacts.source(dialect)) WHERE true
            ON CONFLICT (unit_id, phone) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
                WHERE excluded.name IS NOT NULL AND (contacts.name IS NULL OR contacts.name <> excluded.name)
            RETURNING id, phone, opted_out, CASE WHEN created_at = updated_at THEN 1 ELSE 0 END AS fresh
            """).all() {
            let optedOut = try Self.flag(row, "opted_out")
            known[try row.decode(column: "phone", as: String.self)] = (try row.uuid("id"), optedOut)
            if try row.decode(column: "fresh", as: Int.self) == 1 { created += 1 }
        }
        if known.count < chunk.recipients.count {
            var unchanged = BatchTable([("phone", "text")])
            for offset in chunk.recipients.indices where known[new.recipients[chunk.start + offset].phone] == nil {
                unchanged.append([.text(new.recipients[chunk.start + offset].phone)])
            }
            for row in try await sql.raw("""
                SELECT id, phone, opted_out FROM contacts
                WHERE unit_id = \(bind: new.unitId) AND phone IN (SELECT s.phone FROM \(unchanged.source(dialect)))
                """).all() {
                known[try row.decode(column: "phone", as: String.self)] = (try row.uuid("id"), try Self.flag(row, "opted_out"))
            }
        }
        var recipients = BatchTable([
            ("id", "uuid"), ("contact_id", "uuid"), ("phone", "text"), ("variables", "jsonb"), ("body", "text"),
            ("status", "text"), ("error", "text"), ("position", "float8"),
        ])
        var optedOut = 0
        for (offset, cells) in chunk.recipients.enumerated() {
            let position = chunk.start + offset
            guard let contact = known[new.recipients[position].phone] else {
                throw CRMError(.internal, "A recipient's contact was not recorded.")
            }
            if contact.optedOut { optedOut += 1 }
            recipients.append([
                cells.id, .id(contact.id), cells.phone, cells.variables, cells.body, .text(contact.optedOut ? "skipped" : "pending"),
                .text(contact.optedOut ? Self.optedOutError : nil), .number(Double(position)),
            ])
        }
        try await sql.raw("""
            INSERT INTO campaign_recipients (id, campaign_id, unit_id, contact_id, phone, variables, body, status, error, position,
                                             created_at, updated_at)
            SELECT s.id, \(bind: new.id), \(bind: new.unitId), s.contact_id, s.phone, s.variables, s.body, s.status, s.error,
                   CAST(s.position AS INTEGER), \(bind: new.createdAt), \(bind: new.createdAt)
            FROM \(recipients.source(dialect))
            """).run()
        return (optedOut, created)
    }

    /// The reason stored on a recipient left out because its contact opted out.
    static let optedOutError = "opted out"

    package func campaign(id: UUID) async throws -> Campaign? {
        try await driver.read { sql in try await Self.campaign(sql, id: id) }
    }

    package func campaignAudience(unitId: UUID, phones: [String]?) async throws -> [AudienceContact] {
        try await driver.read { sql in
            var query: SQLQueryString = "SELECT phone, name FROM contacts WHERE unit_id = \(bind: unitId) AND phone IS NOT NULL"
            if let phones {
                guard !phones.isEmpty else { return [] }
                query += " AND phone IN (\(binds: phones))"
            }
            query += " ORDER BY created_at, id"
            return try await sql.raw(query).all().map { row in
                AudienceContact(phone: try row.decode(column: "phone", as: String.self), name: try row.optional("name"))
            }
        }
    }

    package func campaigns(unitId: UUID?, limit: Int) async throws -> [Campaign] {
        try await driver.read { sql in
            var query: SQLQueryString = "SELECT \(unsafeRaw: Self.campaignColumns) FROM campaigns"
            if let unitId { query += " WHERE unit_id = \(bind: unitId)" }
            query += " ORDER BY created_at DESC, id LIMIT \(unsafeRaw: String(max(1, limit)))"
            return try await sql.raw(query).all().map(Self.campaign(from:))
        }
    }

    package func campaigns(_ filter: CampaignFilter) async throws -> [Campaign] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: Self.campaignColumns) FROM campaigns WHERE 1 = 1"
        if let unitId = filter.unitId { query += " AND unit_id = \(bind: unitId)" }
        if let status = filter.status { query += " AND status = \(bind: status.rawValue)" }
        if let cursor = filter.after {
            let created = Self.storedKey("created_at", of: "campaigns", id: cursor.id, near: cursor.createdAt)
            query += " AND (created_at < \(created) OR (created_at = \(created) AND id < \(bind: cursor.id)))"
        }
        query += " ORDER BY created_at DESC, id DESC LIMIT \(unsafeRaw: String(max(0, filter.limit)))"
        return try await driver.read { sql in try await sql.raw(query).all().map(Self.campaign(from:)) }
    }

    package func runningCampaigns() async throws -> [Campaign] {
        try await driver.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.campaignColumns) FROM campaigns WHERE status = 'running' ORDER BY created_at, id")
                .all().map(Self.campaign(from:))
        }
    }

    package func changeCampaignStatus(id: UUID, from: Set<CampaignStatus>, to status: CampaignStatus, at date: Date) async throws
        -> Bool
    {
        guard !from.isEmpty else { return false }
        return try await driver.transaction { sql in
            let started: SQLQueryString = status == .running ? ", started_at = COALESCE(started_at, \(bind: date))" : ""
            let completed: SQLQueryString = status == .completed ? ", completed_at = \(bind: date)" : ""
            return try await sql.raw("""
                UPDATE campaigns SET status = \(bind: status.rawValue), updated_at = \(bind: date)\(started)\(completed)
                WHERE id = \(bind: id) AND status IN (\(binds: from.map(\.rawValue).sorted()))
                RETURNING id
                """).first() != nil
        }
    }

    /// Counted in one pass over the campaign's recipients, joined to their messages (what the
    /// webhooks brought back) and to the contact's replies after the send.
    package func campaignFunnel(id: UUID) async throws -> CampaignFunnel {
        try await campaignFunnels(ids: [id])[id] ?? CampaignFunnel()
    }

    /// The funnels of several campaigns in one query (a page of a list); a campaign with no
    /// recipients is left out.
    package func campaignFunnels(ids: [UUID]) async throws -> [UUID: CampaignFunnel] {
        guard !ids.isEmpty else { return [:] }
        return try await driver.read { sql in
            var funnels: [UUID: CampaignFunnel] = [:]
            for row in try await sql.raw("""
                SELECT r.campaign_id, count(*) AS recipients,
                    SUM(CASE WHEN r.status = 'pending' THEN 1 ELSE 0 END) AS pending,
                    SUM(CASE WHEN r.status = 'claimed' THEN 1 ELSE 0 END) AS claimed,
                    SUM(CASE WHEN r.status = 'sent' THEN 1 ELSE 0 END) AS sent,
                    SUM(CASE WHEN r.status = 'failed' THEN 1 ELSE 0 END) AS failed,
                    SUM(CASE WHEN r.status = 'skipped' THEN 1 ELSE 0 END) AS skipped,
                    SUM(CASE WHEN r.status = 'uncertain' THEN 1 ELSE 0 END) AS uncertain,
                    SUM(CASE WHEN r.status = 'skipped' AND r.error = \(bind: Self.optedOutError) THEN 1 ELSE 0 END) AS opted_out_before,
                    SUM(CASE WHEN r.status = 'sent' AND m.status IN ('delivered', 'read') THEN 1 ELSE 0 END) AS delivered,
                    SUM(CASE WHEN r.status = 'sent' AND m.status = 'read' THEN 1 ELSE 0 END) AS read,
                    SUM(CASE WHEN r.status = 'sent' AND EXISTS (
                        SELECT 1 FROM messages i WHERE i.conversation_id = m.conversation_id AND i.direction = 'inbound'
                          AND i.created_at >= r.sent_at) THEN 1 ELSE 0 END) AS replied,
                    SUM(CASE WHEN r.status = 'sent' AND c.opted_out AND c.opted_out_at >= r.sent_at THEN 1 ELSE 0 END) AS opted_out_after
                FROM campaign_recipients r
                LEFT JOIN messages m ON m.id = r.message_id
                JOIN contacts c ON c.id = r.contact_id
                WHERE r.campaign_id IN (\(binds: ids.map { $0 as any Encodable & Sendable }))
                GROUP BY r.campaign_id
                """).all() {
                func count(_ column: String) throws -> Int { try row.optional(column, as: Int.self) ?? 0 }
                var funnel = CampaignFunnel()
                funnel.recipients = try count("recipients")
                funnel.pending = try count("pending")
                funnel.claimed = try count("claimed")
                funnel.sent = try count("sent")
                funnel.failed = try count("failed")
                funnel.skipped = try count("skipped")
                funnel.uncertain = try count("uncertain")
                funnel.optedOutBefore = try count("opted_out_before")
                funnel.delivered = try count("delivered")
                funnel.read = try count("read")
                funnel.replied = try count("replied")
                funnel.optedOutAfter = try count("opted_out_after")
                funnels[try row.uuid("campaign_id")] = funnel
            }
            return funnels
        }
    }

    static func campaign(_ sql: any SQLDatabase, id: UUID) async throws -> Campaign? {
        try await sql.raw("SELECT \(unsafeRaw: campaignColumns) FROM campaigns WHERE id = \(bind: id)").first().map(campaign(from:))
    }

    static func campaign(from row: any SQLRow) throws -> Campaign {
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = CampaignStatus(rawValue: statusText) else {
            throw CRMError(.internal, "A stored campaign has an unknown status: the database may be damaged.")
        }
        var window: SendWindow?
        if let start = try row.optional("window_start", as: String.self), let end = try row.optional("window_end", as: String.self) {
            window = try? SendWindow(parsing: "\(start)-\(end)")
        }
        let pacing = CampaignPacing(
            rate: SendRate(count: try row.decode(column: "rate_count", as: Int.self),
                           period: .milliseconds(try row.decode(column: "rate_period_ms", as: Int.self))),
            jitter: .milliseconds(try row.decode(column: "jitter_ms", as: Int.self)),
            batchSize: try row.optional("batch_size", as: Int.self),
            batchPause: .milliseconds(try row.decode(column: "batch_pause_ms", as: Int.self)),
            window: window)
        return Campaign(
            id: try row.uuid("id"), unitId: try row.uuid("unit_id"), name: try row.decode(column: "name", as: String.self),
            bodyTemplate: try row.decode(column: "body_template", as: String.self), status: status, pacing: pacing,
            startedAt: try row.optional("started_at"), completedAt: try row.optional("completed_at"),
            cancelledAt: try row.optional("cancelled_at"), createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1_000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// A boolean column: SQLite stores 0 or 1.
    static func flag(_ row: any SQLRow, _ column: String) throws -> Bool {
        if let value = try? row.decode(column: column, as: Bool.self) { return value }
        return try row.decode(column: column, as: Int.self) != 0
    }

    /// A time column of a batch table (seconds since 1970) as the dialect stores times.
    func time(_ column: String) -> SQLQueryString {
        dialect == .postgres ? "to_timestamp(\(unsafeRaw: column))" : "\(unsafeRaw: column)"
    }
}
