import CRMCore
import CRMSimulator
import CRMStore
import CRMTestSupport
import Foundation
import Logging
import SQLKit
import Testing

/// A database, a unit "loja", and an Evolution simulator on loopback, with the environment crm
/// needs to pair through it.
struct PairingFixture {
    static let apiKey = "pairing-test-key"
    static let secretKey = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJ+/8="
    static let baseURL = "https://crm.example.com"
    /// Wide enough that no drawing is squeezed, so tests can render the expected drawing themselves.
    static let columns = 200

    let base: CLIFixture
    let simulator: EvolutionSimulator
    let simulatorURL: String

    static func with(_ kind: TestDatabaseKind, _ body: (PairingFixture) async throws -> Void) async throws {
        let base = try await CLIFixture.make(kind)
        try #require(try await base.crm("units", "create", "Loja").status == 0)
        var logger = Logger(label: "crm.tests.simulator")
        logger.logLevel = .critical
        // Webhooks may wait 30 s for a listener on a loaded machine before the simulator retries
        // them, up to 8 times over about 30 s (Evolution itself retries 10 times over minutes).
        let simulator = EvolutionSimulator(
            configuration: .init(apiKey: apiKey, webhookRetry: WebhookRetryPolicy(maxAttempts: 8, firstBackoffMs: 250, timeoutMs: 30_000)),
            logger: logger)
        let port = try await simulator.start()
        let fixture = PairingFixture(base: base, simulator: simulator, simulatorURL: "http://127.0.0.1:\(port)")
        do {
            try await body(fixture)
        } catch {
            await simulator.stop()
            throw error
        }
        await simulator.stop()
    }

    var environment: [String: String] {
        [
            "EVOLUTION_API_URL": simulatorURL, "EVOLUTION_API_KEY": Self.apiKey, "BASE_URL": Self.baseURL,
            "CRM_SECRET_KEY": Self.secretKey, "COLUMNS": "\(Self.columns)",
            // The simulator runs inside the loaded test process: a call past the 15 s default
            // would be retried by crm send and reach the simulator twice. Tests of timeouts set their own.
            "CRM_PROVIDER_TIMEOUT": "120",
        ]
    }

    /// Runs `crm whatsapp <arguments> --unit loja` with the pairing environment (`overrides` win; an
    /// empty value removes a variable).
    func whatsapp(_ arguments: [String], unit: String = "loja", overrides: [String: String] = [:], timeout: Double = 60)
        async throws -> CLIRunner.Result
    {
        var environment = self.environment
        for (name, value) in overrides { environment[name] = value }
        var cli = base.cli
        for (name, value) in environment where value.isEmpty { cli.environment.removeValue(forKey: name) }
        return try await cli.run(
            ["whatsapp"] + arguments + ["--unit", unit, "--database", base.databaseURL],
            environment: environment.filter { !$0.value.isEmpty }, timeout: timeout
        )
    }

    /// The unit's connection row as stored.
    func storedConnection() async throws -> WhatsAppConnection? {
        let database = try await CRMDatabase.open(try DatabaseLocation.parse(base.databaseURL), logger: TestDatabases.logger)
        let unit = try await database.store.unit(slug: "loja")
        let connection = try await unit.asyncMap { try await database.store.connection(unitId: $0.id) } ?? nil
        await database.close()
        return connection
    }

    /// Waits (polling) until `condition` holds for the simulator's instance; fails after `seconds`.
    func waitForInstance(_ name: String = "crm-loja", seconds: Double = 30, _ condition: (SimulatedInstanceSnapshot) -> Bool)
        async throws -> SimulatedInstanceSnapshot
    {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let instance = await simulator.instance(name), condition(instance) { return instance }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("instance \(name) never reached the expected state")
        throw CancellationError()
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
