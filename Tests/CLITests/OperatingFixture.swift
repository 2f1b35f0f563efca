import CRMCore
import CRMProviders
import CRMStore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

/// A database with unit "loja" configured on Evolution (instance crm-loja), and webhook bodies
/// stored in it as a listener would have left them: for `crm webhook replay` and `crm stats`.
struct OperatingFixture {
    let base: CLIFixture
    let unitId: UUID

    static func make(_ kind: TestDatabaseKind) async throws -> OperatingFixture {
        let base = try await CLIFixture.make(kind)
        try #require(try await base.crm("units", "create", "Loja").status == 0)
        let configured = try await base.crm("whatsapp", "configure", "--unit", "loja", "--provider", "evolution")
        try #require(configured.status == 0, "\(configured)")
        let unit = try await base.withDatabase { try await $0.store.unit(slug: "loja") }
        return OperatingFixture(base: base, unitId: try #require(unit).id)
    }

    /// An Evolution messages.upsert body from `phone`, as the provider posts it.
    static func inboundBody(from phone: String) throws -> Data {
        try WebhookTriggerEvent.evolutionMessagesUpsert.request(instance: "crm-loja", contactPhone: phone, metaAppSecret: nil).body
    }

    /// Stores `body` for loja with the given result, as the listener records it; returns its id.
    @discardableResult
    func store(
        _ body: Data, result: WebhookEventResult, provider: ProviderKind = .evolution, attempts: Int = 1,
        error: String? = nil, receivedAt: Date = Date()
    ) async throws -> UUID {
        let event = StoredWebhookEvent(
            unitId: unitId, provider: provider, eventType: result == .invalid ? "invalid" : "inboundMessage", instance: "crm-loja",
            dedupeKey: WebhookIngestion.dedupeKey(body), body: String(decoding: body, as: UTF8.self), result: result,
            error: error, attempts: attempts, receivedAt: receivedAt
        )
        let existing = try await base.withDatabase { try await $0.store.recordWebhookEvent(event) }
        #expect(existing == nil, "a new body")
        return event.id
    }

    func count(_ query: String) async throws -> Int {
        try await base.withDatabase { database in
            try await database.withUnsafeSQL { sql in try await sql.raw(SQLQueryString(query)).first()?.decode(column: "n", as: Int.self) }
        } ?? 0
    }

    func crm(_ arguments: String...) async throws -> CLIRunner.Result {
        try await base.cli.run(arguments + ["--database", base.databaseURL])
    }
}

extension CLIFixture {
    /// Opens this fixture's database for `body`, closed afterwards whatever happens.
    func withDatabase<T>(_ body: (CRMDatabase) async throws -> T) async throws -> T {
        let database = try await CRMDatabase.open(try DatabaseLocation.parse(databaseURL), logger: TestDatabases.logger)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}

extension UUID {
    /// The id as crm prints it (lowercase).
    var lowercased: String { uuidString.lowercased() }
}
