import CRMCore
import CRMSimulator
import CRMStore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

/// Campaigns end to end: the outbound fixture (database, unit "loja", Evolution simulator,
/// listeners on demand) and `crm campaigns …` with the pairing environment.
struct CampaignFixture {
    let outbound: OutboundFixture
    var pairing: PairingFixture { outbound.pairing }
    var simulator: EvolutionSimulator { pairing.simulator }

    static func with(_ kind: TestDatabaseKind, _ body: (CampaignFixture) async throws -> Void) async throws {
        try await OutboundFixture.with(kind) { outbound in try await body(CampaignFixture(outbound: outbound)) }
    }

    /// The pairing environment; provider calls may take 2 minutes (a timeout would make a send
    /// uncertain, and a loaded test machine is slow, not faulty).
    var environment: [String: String] {
        var environment = pairing.base.cli.environment
        environment.merge(pairing.environment) { _, new in new }
        environment["CRM_PROVIDER_TIMEOUT"] = "120"
        return environment
    }

    /// `crm campaigns ARGS --database URL` with the pairing environment.
    func campaigns(_ arguments: [String], timeout: Double = 120, overrides: [String: String] = [:]) async throws -> CLIRunner.Result {
        var cli = pairing.base.cli
        cli.environment = environment.merging(overrides) { _, new in new }
        return try await cli.run(["campaigns"] + arguments + ["--database", outbound.databaseURL], timeout: timeout)
    }

    /// Writes `text` into a file of the fixture's folder; returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let url = pairing.base.folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// `crm campaigns create --unit loja … --json`: the parsed result (the test fails on a non-zero exit).
    func create(_ arguments: [String]) async throws -> [String: Any] {
        let result = try await campaigns(["create", "--unit", "loja", "--name", "Promo"] + arguments + ["--json"])
        try #require(result.status == 0, "\(result)")
        return try #require(result.json as? [String: Any], "\(result)")
    }

    static func id(of created: [String: Any]) throws -> String {
        try #require((created["campaign"] as? [String: Any])?["id"] as? String)
    }

    /// `crm campaigns show ID --json`: the campaign, with its funnel.
    func show(_ id: String) async throws -> [String: Any] {
        let result = try await campaigns(["show", id, "--json"])
        return try #require(result.json as? [String: Any], "\(result)")
    }

    func funnel(_ id: String) async throws -> [String: Any] {
        try #require(try await show(id)["funnel"] as? [String: Any])
    }

    /// `crm campaigns dispatch ID` running in the background (to kill it, or run two at once).
    func startDispatch(_ id: String, _ extra: [String] = []) throws -> BackgroundCLI {
        try BackgroundCLI(["campaigns", "dispatch", id, "--database", outbound.databaseURL] + extra, environment: environment)
    }

    /// Contacts of "loja" who opted out (created for the purpose).
    func optOut(_ phones: [String]) async throws {
        let database = try await CRMDatabase.open(try DatabaseLocation.parse(outbound.databaseURL), logger: TestDatabases.logger)
        do {
            let unit = try #require(try await database.store.unit(slug: "loja"))
            try await database.withUnsafeSQL { sql in
                for phone in phones {
                    try await sql.raw("""
                        INSERT INTO contacts (id, unit_id, phone, opted_out, opted_out_at, created_at, updated_at)
                        VALUES (\(bind: UUID()), \(bind: unit.id), \(bind: phone), \(bind: true), \(bind: Date()), \(bind: Date()), \(bind: Date()))
                        """).run()
                }
            }
            await database.close()
        } catch {
            await database.close()
            throw error
        }
    }

    /// A count from the database.
    func count(_ query: String) async throws -> Int { try await outbound.count(query) }
}
