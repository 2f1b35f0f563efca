import CRMTestSupport
import Foundation
import Testing

/// `crm doctor` against a working setup (a listener, the simulator, a connected unit) and broken ones.
@Suite("crm doctor (end to end)")
struct DoctorCommandTests {
    func doctor(_ f: CampaignFixture, _ overrides: [String: String] = [:], database: String? = nil) async throws -> (CLIRunner.Result, [String: [String: Any]]) {
        var cli = f.pairing.base.cli
        cli.environment = f.environment
        for (name, value) in overrides { cli.environment[name] = value.isEmpty ? nil : value }
        let result = try await cli.run(["doctor", "--json", "--database", database ?? f.outbound.databaseURL])
        let checks = ((result.json as? [String: Any])?["checks"] as? [[String: Any]]) ?? []
        return (result, Dictionary(checks.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first }))
    }

    @Test("a working setup: nothing failed, exit 0; the provider's answer and the clock checked", arguments: TestDatabaseKind.available)
    func healthy(kind: TestDatabaseKind) async throws {
        try await CampaignFixture.with(kind) { f in
            try await f.outbound.withListener(["--no-worker"]) { listener in try await f.outbound.connect(webhooksTo: listener) }
            let (result, checks) = try await doctor(f)
            #expect(result.status == 0, "\(result)")
            #expect((result.json as? [String: Any])?["healthy"] as? Bool == true)
            for name in ["CRM_SECRET_KEY", "BASE_URL", "database", "migrations", "unit loja"] {
                #expect(checks[name]?["status"] as? String == "ok", "\(name): \(checks[name] ?? [:])")
            }
            #expect((checks["unit loja"]?["detail"] as? String)?.contains("connected") == true)
            #expect(checks["clock"]?["status"] as? String == (kind == .postgres ? "ok" : "skipped"))
            let text = try await f.pairing.base.cli.run(["doctor", "--database", f.outbound.databaseURL], environment: f.environment)
            #expect(text.status == 0 && text.stdout.contains("Nothing failed."), "\(text)")
        }
    }

    @Test("broken: a wrong provider key, no secret key, an unreachable database: each named with its fix, exit 78")
    func broken() async throws {
        try await CampaignFixture.with(.sqlite) { f in
            try await f.outbound.withListener(["--no-worker"]) { listener in try await f.outbound.connect(webhooksTo: listener) }
            var (result, checks) = try await doctor(f, ["EVOLUTION_API_KEY": "not-the-key"])
            #expect(result.status == 78 && (result.json as? [String: Any])?["healthy"] as? Bool == false, "\(result)")
            #expect(checks["unit loja"]?["status"] as? String == "failed")
            #expect((checks["unit loja"]?["detail"] as? String)?.contains("EVOLUTION_API_KEY") == true, "\(checks["unit loja"] ?? [:])")

            (result, checks) = try await doctor(f, ["CRM_SECRET_KEY": "", "BASE_URL": "http://crm.example.com"])
            #expect(result.status == 78)
            #expect(checks["CRM_SECRET_KEY"]?["status"] as? String == "failed")
            #expect(checks["BASE_URL"]?["status"] as? String == "warning" && (checks["BASE_URL"]?["fix"] as? String)?.contains("HTTPS") == true)

            (result, checks) = try await doctor(f, database: "postgres://crm:secret-pw@127.0.0.1:1/crm")
            #expect(result.status == 78)
            #expect(checks["database"]?["status"] as? String == "failed" && checks["units"]?["status"] as? String == "skipped")
            #expect(!result.stdout.contains("secret-pw") && !result.stderr.contains("secret-pw"))
        }
    }
}
