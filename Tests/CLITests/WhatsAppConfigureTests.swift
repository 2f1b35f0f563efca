import CRMStore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@Suite("crm whatsapp configure (end to end)")
struct WhatsAppConfigureTests {
    static let key = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJ+/8="  // 32 bytes, base64

    func fixture(_ kind: TestDatabaseKind) async throws -> CLIFixture {
        let f = try await CLIFixture.make(kind)
        try #require(try await f.crm("units", "create", "Loja").status == 0)
        return f
    }

    func configure(_ f: CLIFixture, _ arguments: [String], stdin: String? = nil, key: String? = key) async throws -> CLIRunner.Result {
        var environment: [String: String] = [:]
        if let key { environment["CRM_SECRET_KEY"] = key }
        return try await f.cli.run(["whatsapp", "configure", "--unit", "loja"] + arguments + ["--database", f.databaseURL, "--json"],
                             stdin: stdin, environment: environment)
    }

    @Test("evolution needs no secret; the instance name is derived from the slug", arguments: TestDatabaseKind.available)
    func evolution(kind: TestDatabaseKind) async throws {
        let f = try await fixture(kind)
        let result = try await configure(f, ["--provider", "evolution"], key: nil)
        #expect(result.status == 0, "\(result)")
        let json = try #require(result.json as? [String: Any])
        #expect(json["instance"] as? String == "crm-loja")
        #expect(json["state"] as? String == "disconnected")
        let custom = try await configure(f, ["--provider", "evolution", "--instance", "minha_loja.1"], key: nil)
        #expect((custom.json as? [String: Any])?["instance"] as? String == "minha_loja.1")
        expectCleanError(try await configure(f, ["--provider", "evolution", "--instance", "bad name!"], key: nil), status: 65, mentions: "instance")
    }

    @Test("meta and zapi tokens are sealed: masked in the output, absent from the database", arguments: TestDatabaseKind.available)
    func sealedCredentials(kind: TestDatabaseKind) async throws {
        let f = try await fixture(kind)
        let token = "EAAG-\(UUID().uuidString)-tail"
        let appSecret = "app-\(UUID().uuidString)"
        let meta = try await configure(f, ["--provider", "meta", "--phone-number-id", "112233445566778", "--token-stdin",
                                     "--app-secret", appSecret, "--verify-token", "verify-me-please"], stdin: token)
        #expect(meta.status == 0, "\(meta)")
        let credentials = try #require((meta.json as? [String: Any])?["credentials"] as? [String: String])
        #expect(credentials["accessToken"] == "****tail")
        #expect(!meta.stdout.contains(token) && !meta.stdout.contains(appSecret) && !meta.stderr.contains(token))

        let database = try await CRMDatabase.open(try DatabaseLocation.parse(f.databaseURL), logger: TestDatabases.logger)
        let stored = try await database.withUnsafeSQL { sql in
            try await sql.raw("SELECT provider, instance_name, sealed_credentials FROM unit_whatsapp_connections").all()
        }
        await database.close()
        #expect(stored.count == 1)
        let blob = try #require(try stored.first?.decode(column: "sealed_credentials", as: Data.self))
        #expect(blob.count > 60)
        #expect(blob.range(of: Data(token.utf8)) == nil && blob.range(of: Data(appSecret.utf8)) == nil)
        #expect(try stored.first?.decode(column: "instance_name", as: String.self) == "112233445566778")

        let zapi = try await configure(f, ["--provider", "zapi", "--instance-id", "3C4A5B6D7E8F", "--instance-token", "ztoken-abcd",
                                     "--client-token", "client-wxyz"])
        #expect(zapi.status == 0, "\(zapi)")
        #expect(((zapi.json as? [String: Any])?["credentials"] as? [String: String])?["clientToken"] == "****wxyz")
    }

    @Test("missing key, wrong options and bad values are refused and change nothing", arguments: TestDatabaseKind.available)
    func refusals(kind: TestDatabaseKind) async throws {
        let f = try await fixture(kind)
        let metaArguments = ["--provider", "meta", "--phone-number-id", "1122", "--access-token", "tok-123456789",
                             "--app-secret", "s3cret-app", "--verify-token", "vt"]
        expectCleanError(try await configure(f, metaArguments, key: nil), status: 78, mentions: "CRM_SECRET_KEY")
        expectCleanError(try await configure(f, metaArguments, key: "too-short"), status: 78, mentions: "CRM_SECRET_KEY")
        expectCleanError(try await configure(f, ["--provider", "evolution", "--phone-number-id", "1"]), status: 64, mentions: "does not apply")
        expectCleanError(try await configure(f, ["--provider", "meta", "--phone-number-id", "1122"]), status: 64, mentions: "--access-token")
        expectCleanError(try await configure(f, ["--provider", "meta", "--phone-number-id", "12ab", "--access-token", "t-123456789",
                                           "--app-secret", "a", "--verify-token", "v"]), status: 65, mentions: "digits")
        expectCleanError(try await configure(f, ["--provider", "zapi", "--instance-id", "X1", "--token-stdin"], stdin: ""), status: 65)
        let unknownUnit = try await f.cli.run(["whatsapp", "configure", "--unit", "ghost", "--provider", "evolution", "--database", f.databaseURL])
        expectCleanError(unknownUnit, status: 66)
        let database = try await CRMDatabase.open(try DatabaseLocation.parse(f.databaseURL), logger: TestDatabases.logger)
        let rows = try await database.withUnsafeSQL { sql in
            try await sql.raw("SELECT count(*) AS n FROM unit_whatsapp_connections").first()!.decode(column: "n", as: Int.self)
        }
        await database.close()
        #expect(rows == 0)
    }

    @Test("two units cannot share an instance", arguments: TestDatabaseKind.available)
    func sharedInstance(kind: TestDatabaseKind) async throws {
        let f = try await fixture(kind)
        try #require(try await f.crm("units", "create", "Outra").status == 0)
        #expect(try await configure(f, ["--provider", "evolution", "--instance", "same"], key: nil).status == 0)
        let other = try await f.cli.run(["whatsapp", "configure", "--unit", "outra", "--provider", "evolution", "--instance", "same",
                                   "--database", f.databaseURL])
        expectCleanError(other, status: 67, mentions: "Another unit")
    }
}
