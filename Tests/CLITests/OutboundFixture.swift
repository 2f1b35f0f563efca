import AsyncHTTPClient
import CRMCore
import CRMSimulator
import CRMStore
import CRMTestSupport
import Foundation
import NIOCore
import SQLKit
import Testing

/// The outbound worker's end-to-end setting: a pairing fixture (database, unit "loja", Evolution
/// simulator) and listeners started on demand, each with its own arguments.
struct OutboundFixture {
    let pairing: PairingFixture
    static let contact = "5511998765432"

    static func with(_ kind: TestDatabaseKind, _ body: (OutboundFixture) async throws -> Void) async throws {
        try await PairingFixture.with(kind) { pairing in try await body(OutboundFixture(pairing: pairing)) }
    }

    var databaseURL: String { pairing.base.databaseURL }

    /// `crm webhook serve` on this database with the pairing environment, less the variables named
    /// in `without`; the caller stops it.
    func startListener(_ arguments: [String] = [], without: [String] = [], adding: [String: String] = [:]) async throws -> ListenerProcess {
        var environment = pairing.base.cli.environment
        environment.merge(pairing.environment) { _, new in new }
        environment.merge(adding) { _, new in new }
        for name in without { environment.removeValue(forKey: name) }
        return try await ListenerProcess.start(databaseURL: databaseURL, environment: environment, extraArguments: arguments)
    }

    /// Runs `body` with a listener, then stops it and expects a clean exit (within the shutdown bound).
    func withListener(_ arguments: [String] = [], _ body: (ListenerProcess) async throws -> Void) async throws {
        let listener = try await startListener(arguments)
        do {
            try await body(listener)
        } catch {
            _ = await listener.stop()
            throw error
        }
        let status = await listener.stop()
        #expect(status == 0, "the listener should exit 0 on SIGTERM:\n\(listener.logText.suffix(2000))")
    }

    /// Pairs "loja" with the simulator, its webhooks going to `listener`; waits until the listener recorded it connected.
    func connect(webhooksTo listener: ListenerProcess) async throws {
        let connected = try await pairing.whatsapp(["connect", "--no-wait"], overrides: ["BASE_URL": listener.baseURL])
        try #require(connected.status == 0, "\(connected)")
        #expect(await pairing.simulator.scan(instance: "crm-loja", phone: "5511987654321"))
        try await eventually("connected", listener) { try await pairing.storedConnection()?.status.state == .connected }
    }

    /// `crm send --unit loja … --json` with the pairing environment.
    func send(_ arguments: [String]) async throws -> CLIRunner.Result {
        var cli = pairing.base.cli
        cli.environment.merge(pairing.environment) { _, new in new }
        return try await cli.run(["send", "--unit", "loja"] + arguments + ["--json", "--database", databaseURL])
    }

    /// `crm send --queue`: the id of the queued message.
    func queue(_ text: String, to phone: String = Self.contact) async throws -> String {
        let result = try await send(["--to", phone, "--text", text, "--queue"])
        let json = try #require(result.json as? [String: Any], "\(result)")
        #expect(json["status"] as? String == "queued")
        return try #require(json["id"] as? String)
    }

    /// `crm messages show ID --json`.
    func show(_ id: String) async throws -> [String: Any] {
        (try await pairing.base.crm("messages", "show", id, "--json").json as? [String: Any]) ?? [:]
    }

    /// The listener's `GET /metrics` text.
    func metrics(_ listener: ListenerProcess) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: listener.baseURL + "/metrics"), timeout: .seconds(30))
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    /// The value of one series in a `/metrics` text (0 when absent).
    static func value(_ series: String, in metrics: String) -> Int {
        metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    /// Opens the database in this process for `body` (as a `crm send` that crashed would have left it).
    func withStore<T>(_ body: (SQLStore) async throws -> T) async throws -> T {
        let database = try await CRMDatabase.open(try DatabaseLocation.parse(databaseURL), logger: TestDatabases.logger)
        do {
            let result = try await body(database.store)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    func count(_ query: String) async throws -> Int {
        let database = try await CRMDatabase.open(try DatabaseLocation.parse(databaseURL), logger: TestDatabases.logger)
        let count = try? await database.withUnsafeSQL { sql in
            try await sql.raw(SQLQueryString(query)).first()?.decode(column: "n", as: Int.self)
        }
        await database.close()
        return count ?? -1
    }

    /// Polls (every `every`) until `condition` holds; records an issue (with the listeners' logs) after `seconds`.
    func eventually(
        _ what: String, _ listeners: ListenerProcess..., seconds: Double = 60, every: Duration = .milliseconds(100),
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: every)
        }
        let logs = listeners.map { String($0.logText.suffix(3000)) }.joined(separator: "\n---\n")
        Issue.record("timed out waiting for \(what)\nlistener log:\n\(logs)")
        throw CancellationError()
    }
}
