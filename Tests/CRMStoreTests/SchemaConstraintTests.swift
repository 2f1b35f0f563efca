import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

/// The invariants the database itself enforces, whatever the code above it does.
@Suite("Schema constraints")
struct SchemaConstraintTests {
    struct Fixture {
        let unit = UUID()
        let otherUnit = UUID()
        let contact = UUID()
        let conversation = UUID()
        let otherContact = UUID()
        let otherConversation = UUID()
    }

    func seed(_ database: CRMDatabase) async throws -> Fixture {
        let fixture = Fixture()
        let now = Date()
        for (id, slug) in [(fixture.unit, "a"), (fixture.otherUnit, "b")] {
            try await run(database, """
                INSERT INTO units (id, name, slug, created_at, updated_at) VALUES (\(bind: id), 'U', \(bind: slug), \(bind: now), \(bind: now))
                """)
        }
        for (unit, contact, conversation) in [
            (fixture.unit, fixture.contact, fixture.conversation), (fixture.otherUnit, fixture.otherContact, fixture.otherConversation),
        ] {
            try await run(database, """
                INSERT INTO contacts (id, unit_id, phone, created_at, updated_at)
                VALUES (\(bind: contact), \(bind: unit), '5511999990001', \(bind: now), \(bind: now))
                """)
            try await run(database, """
                INSERT INTO conversations (id, unit_id, contact_id, created_at, updated_at)
                VALUES (\(bind: conversation), \(bind: unit), \(bind: contact), \(bind: now), \(bind: now))
                """)
        }
        return fixture
    }

    func insertMessage(
        _ database: CRMDatabase, _ f: Fixture, unit: UUID? = nil, conversation: UUID? = nil, contact: UUID? = nil,
        clientId: String? = nil, externalId: String? = nil,
        provider: String? = "evolution", status: String = "queued", direction: String = "outbound", retries: Int = 0
    ) async throws {
        let now = Date()
        // Another unit's message goes to that unit's conversation unless the test says otherwise.
        let isOther = unit == f.otherUnit
        let conversation = conversation ?? (isOther ? f.otherConversation : f.conversation)
        let contact = contact ?? (isOther ? f.otherContact : f.contact)
        try await run(database, """
            INSERT INTO messages (id, unit_id, conversation_id, contact_id, direction, body, client_message_id,
                                  external_id, provider, status, retry_count, created_at, updated_at)
            VALUES (\(bind: UUID()), \(bind: unit ?? f.unit), \(bind: conversation), \(bind: contact), \(bind: direction),
                    'hi', \(bind: clientId), \(bind: externalId), \(bind: provider), \(bind: status), \(bind: retries),
                    \(bind: now), \(bind: now))
            """)
    }

    /// Runs one statement through the driver, so that failures arrive translated as the store's callers see them.
    func run(_ database: CRMDatabase, _ query: SQLQueryString) async throws {
        try await database.withUnsafeSQL { sql in try await sql.raw(query).run() }
    }

    @Test("client_message_id is unique per unit", arguments: TestDatabaseKind.stores)
    func clientMessageIdUnique(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            do {
                let f = try await seed(database)
                try await insertMessage(database, f, clientId: "k1")
                await #expect(throws: StoreError.self) { try await insertMessage(database, f, clientId: "k1") }
                try await insertMessage(database, f, unit: f.otherUnit, clientId: "k1")  // another unit may reuse it
                try await insertMessage(database, f, clientId: nil)
                try await insertMessage(database, f, clientId: nil)  // NULLs never collide
            }
        }
    }

    @Test("external_id is unique per unit and provider", arguments: TestDatabaseKind.stores)
    func externalIdUnique(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            do {
                let f = try await seed(database)
                try await insertMessage(database, f, externalId: "3EB0A", status: "received", direction: "inbound")
                await #expect(throws: StoreError.self) {
                    try await insertMessage(database, f, externalId: "3EB0A", status: "received", direction: "inbound")
                }
                try await insertMessage(database, f, externalId: "3EB0A", provider: "zapi", status: "received", direction: "inbound")
            }
        }
    }

    @Test("a message's conversation and contact, and a conversation's contact, belong to its unit", arguments: TestDatabaseKind.stores)
    func referencesStayInTheUnit(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            do {
                let f = try await seed(database)
                // Another unit's conversation, or a conversation of another contact: refused.
                await #expect(throws: StoreError.foreignKeyViolation) {
                    try await insertMessage(database, f, conversation: f.otherConversation, contact: f.otherContact)
                }
                await #expect(throws: StoreError.foreignKeyViolation) { try await insertMessage(database, f, contact: f.otherContact) }
                await #expect(throws: StoreError.foreignKeyViolation) {
                    try await insertMessage(database, f, unit: f.otherUnit, conversation: f.conversation, contact: f.contact)
                }
                let now = Date()
                await #expect(throws: StoreError.foreignKeyViolation) {
                    try await run(database, """
                        INSERT INTO conversations (id, unit_id, contact_id, created_at, updated_at)
                        VALUES (\(bind: UUID()), \(bind: f.unit), \(bind: f.otherContact), \(bind: now), \(bind: now))
                        """)
                }
                // Moving a message to another unit's conversation is refused too; its own unit's is fine.
                try await insertMessage(database, f, clientId: "moved")
                await #expect(throws: StoreError.foreignKeyViolation) {
                    try await run(database, """
                        UPDATE messages SET unit_id = \(bind: f.otherUnit), conversation_id = \(bind: f.otherConversation)
                        WHERE client_message_id = 'moved'
                        """)
                }
                let counts = try await database.withUnsafeSQL { sql in
                    try await sql.raw("SELECT (SELECT count(*) FROM messages) AS m, (SELECT count(*) FROM conversations) AS c").first()!
                }
                #expect(try counts.decode(column: "m", as: Int.self) == 1)
                #expect(try counts.decode(column: "c", as: Int.self) == 2)
                try await insertMessage(database, f, unit: f.otherUnit)
            }
        }
    }

    @Test("enum columns and ranges are checked", arguments: TestDatabaseKind.stores)
    func checks(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            do {
                let f = try await seed(database)
                await #expect(throws: StoreError.self) { try await insertMessage(database, f, status: "bogus") }
                await #expect(throws: StoreError.self) { try await insertMessage(database, f, provider: "telegram") }
                await #expect(throws: StoreError.self) { try await insertMessage(database, f, retries: 4) }
                await #expect(throws: StoreError.self) { try await insertMessage(database, f, status: "received", direction: "outbound") }
                await #expect(throws: StoreError.self) { try await insertMessage(database, f, direction: "sideways") }
                let now = Date()
                await #expect(throws: StoreError.self) {
                    try await run(database, """
                        INSERT INTO units (id, name, slug, created_at, updated_at) VALUES (\(bind: UUID()), 'U', 'Bad Slug', \(bind: now), \(bind: now))
                        """)
                }
                await #expect(throws: StoreError.self) {
                    try await run(database, """
                        INSERT INTO contacts (id, unit_id, phone, created_at, updated_at)
                        VALUES (\(bind: UUID()), \(bind: f.unit), '+55 11', \(bind: now), \(bind: now))
                        """)
                }
                await #expect(throws: StoreError.self) {
                    try await run(database, """
                        INSERT INTO unit_whatsapp_connections (id, unit_id, provider, instance_name, status, created_at, updated_at)
                        VALUES (\(bind: UUID()), \(bind: f.unit), 'evolution', 'i', 'online', \(bind: now), \(bind: now))
                        """)
                }
                await #expect(throws: StoreError.self) {
                    try await run(database, """
                        INSERT INTO campaign_recipients (id, campaign_id, unit_id, contact_id, phone, status, created_at, updated_at)
                        VALUES (\(bind: UUID()), \(bind: UUID()), \(bind: f.unit), \(bind: f.contact), '5511999990001', 'pending', \(bind: now), \(bind: now))
                        """)
                }
            }
        }
    }

    @Test("deleting a unit cascades to its contacts, conversations and messages", arguments: TestDatabaseKind.stores)
    func cascade(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let f = try await seed(database)
            try await insertMessage(database, f, clientId: "c")
            #expect(try await database.store.footprint(ofUnit: f.unit).messages == 1)
            #expect(try await database.store.deleteUnit(id: f.unit))
            let (left, others) = try await database.withUnsafeSQL { sql in
                let row = try await sql.raw("""
                    SELECT (SELECT count(*) FROM messages WHERE unit_id = \(bind: f.unit))
                         + (SELECT count(*) FROM contacts WHERE unit_id = \(bind: f.unit))
                         + (SELECT count(*) FROM conversations WHERE unit_id = \(bind: f.unit)) AS n,
                           (SELECT count(*) FROM contacts) + (SELECT count(*) FROM conversations) AS others
                    """).first()!
                return (try row.decode(column: "n", as: Int.self), try row.decode(column: "others", as: Int.self))
            }
            #expect(left == 0)
            #expect(others == 2)  // the other unit's contact and conversation stay
        }
    }

    /// Identifiers meet only equality and unique indexes: on PostgreSQL they use the "C" collation
    /// (migration 0016), a byte comparison as SQLite's BINARY is, and not the database's locale,
    /// whose strcoll every index descent paid for. A table made again without it would lose that.
    @Test("identifier columns compare bytes on PostgreSQL (collation \"C\")")
    func identifierCollation() async throws {
        guard TestDatabaseKind.stores.contains(.postgres) else { return }  // needs CRM_TEST_POSTGRES_URL
        try await TestDatabases.with(.postgres) { database in
            let columns = try await database.withUnsafeSQL { sql in
                try await sql.raw("""
                    SELECT table_name || '.' || column_name AS name FROM information_schema.columns
                    WHERE table_schema = current_schema() AND collation_name = 'C' ORDER BY 1
                    """).all().map { try $0.decode(column: "name", as: String.self) }
            }
            #expect(columns == [
                "contacts.lid", "contacts.phone", "messages.client_message_id", "messages.external_id", "messages.provider",
                "pending_message_statuses.external_id", "pending_message_statuses.provider", "webhook_events.dedupe_key",
                "webhook_events.provider",
            ])
        }
    }
}
