import CRMCore
import Foundation
import SQLKit

/// Opt-outs: a unit's keywords (`units.opt_out_keywords`, a JSON array; NULL for the defaults),
/// contacts opted out by an inbound keyword (inside the message's own transaction) or by hand.
extension SQLStore: OptOutKeywordStore, ContactOptOutStore {
    package func optOutKeywords(unitId: UUID) async throws -> OptOutKeywords {
        try await driver.read { sql in
            let row = try await sql.raw("""
                SELECT CAST(opt_out_keywords AS TEXT) AS opt_out_keywords FROM units WHERE id = \(bind: unitId)
                """).first()
            return try row.flatMap(Self.optOutKeywords(from:)) ?? .defaults
        }
    }

    package func setOptOut(unitId: UUID, phone: String, optedOut: Bool, at: Date) async throws -> OptOutChange? {
        try await driver.transaction { sql in
            let lock: SQLQueryString = dialect == .postgres ? "FOR UPDATE" : ""
            let before = try await sql.raw("""
                SELECT opted_out FROM contacts WHERE unit_id = \(bind: unitId) AND phone = \(bind: phone) \(lock)
                """).first().map { try $0.decode(column: "opted_out", as: Bool.self) }
            let row: (any SQLRow)?
            if optedOut {
                // Already out: the row stays as it was (the first opt-out's time is kept).
                row = try await sql.raw("""
                    INSERT INTO contacts (id, unit_id, phone, opted_out, opted_out_at, created_at, updated_at)
                    VALUES (\(bind: UUID()), \(bind: unitId), \(bind: phone), \(bind: true), \(bind: at), \(bind: at), \(bind: at))
                    ON CONFLICT (unit_id, phone) DO UPDATE SET opted_out = \(bind: true),
                        opted_out_at = CASE WHEN contacts.opted_out THEN contacts.opted_out_at ELSE excluded.opted_out_at END,
                        updated_at = CASE WHEN contacts.opted_out THEN contacts.updated_at ELSE excluded.updated_at END
                    RETURNING \(unsafeRaw: Self.contactColumns)
                    """).first()
            } else {
                row = try await sql.raw("""
                    UPDATE contacts SET opted_out = \(bind: false), opted_out_at = NULL,
                        updated_at = CASE WHEN opted_out THEN \(bind: at) ELSE updated_at END
                    WHERE unit_id = \(bind: unitId) AND phone = \(bind: phone)
                    RETURNING \(unsafeRaw: Self.contactColumns)
                    """).first()
            }
            guard let row else { return nil }
            return OptOutChange(contact: try Self.contact(from: row, prefix: ""), changed: before != optedOut, created: before == nil)
        }
    }

    /// Opts these contacts out as of each one's time, unless they are out already (a second STOP
    /// changes nothing): one statement, in the transaction that stored their keyword messages.
    func markOptedOut(_ sql: any SQLDatabase, _ contacts: [UUID: Date]) async throws {
        guard !contacts.isEmpty else { return }
        var table = BatchTable([("contact_id", "uuid"), ("at", "float8")])
        for id in contacts.keys.sorted(by: { $0.uuidString < $1.uuidString }) {
            table.append([.text(id.uuidString), .number(contacts[id]!.timeIntervalSince1970)])
        }
        try await sql.raw("""
            UPDATE contacts SET opted_out = true, opted_out_at = \(time("s.at"))
            FROM \(table.source(dialect))
            WHERE contacts.id = s.contact_id AND contacts.opted_out = false
            """).run()
    }

    /// The keywords as a value to write: jsonb on PostgreSQL (a text parameter needs the cast),
    /// JSON text on SQLite; NULL for the defaults.
    func keywordsValue(_ keywords: OptOutKeywords?) -> SQLQueryString {
        guard let keywords else { return "NULL" }
        var json = "["
        for (index, word) in keywords.words.enumerated() {
            if index > 0 { json += "," }
            JSONText.appendString(word, to: &json)
        }
        json += "]"
        return dialect == .postgres ? "CAST(\(bind: json) AS jsonb)" : "\(bind: json)"
    }

    /// The `opt_out_keywords` column (JSON text on both dialects through a CAST); `nil` for NULL.
    static func optOutKeywords(from row: any SQLRow) throws -> OptOutKeywords? {
        guard let text = try row.optional("opt_out_keywords", as: String.self) else { return nil }
        guard let words = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw CRMError(.internal, "A unit's opt-out keywords are not a list crm can read: is this crm older than the database?")
        }
        return OptOutKeywords(stored: words)
    }
}
