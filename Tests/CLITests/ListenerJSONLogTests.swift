import CRMCore
import CRMSimulator
import CRMTestSupport
import Foundation
import Testing

/// `crm webhook serve --log-format json`: a log collector reads stderr line by line, so every
/// line must be one JSON object, and none may carry a secret or a phone number.
@Suite("crm webhook serve --log-format json")
struct ListenerJSONLogTests {
    static let contact = "5511976543210"
    static let account = "5511987654321"

    /// Each non-empty line parsed as a JSON object; records an issue for any other line.
    static func objects(_ log: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
        log.split(separator: "\n").compactMap { line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                Issue.record("not a JSON object: \(line)", sourceLocation: sourceLocation)
                return nil
            }
            for key in ["time", "level", "label", "message"] where object[key] as? String == nil {
                Issue.record("no \(key) in \(line)", sourceLocation: sourceLocation)
            }
            return object
        }
    }

    @Test("pairing, a message, rejected requests and a stop: every line JSON, nothing secret")
    func wholeRun() async throws {
        try await PairingFixture.with(.sqlite) { pairing in
            var environment = pairing.base.cli.environment
            environment.merge(pairing.environment) { _, new in new }
            let listener = try await ListenerProcess.start(
                databaseURL: pairing.base.databaseURL, environment: environment, extraArguments: ["--log-format", "json"])
            let f = ListenerFixture(pairing: pairing, listener: listener)
            let connect = try #require(try await f.whatsapp(["connect", "--no-wait", "--json"]).json as? [String: Any])
            let path = ListenerFixture.path(of: try #require(connect["webhookURL"] as? String))
            #expect(await pairing.simulator.scan(instance: "crm-loja", phone: Self.account))
            try await f.eventually("connected") { try await pairing.storedConnection()?.status.state == .connected }
            _ = await pairing.simulator.inbound(instance: "crm-loja", from: Self.contact, text: "Olá", pushName: "Maria")
            try await f.eventually("the message") { try await f.count("SELECT count(*) AS n FROM messages") == 1 }
            #expect(try await f.post(path, body: Data("not json".utf8)).status == 400)
            #expect(try await f.post("/webhooks/whatsapp/evolution/" + String(repeating: "a", count: 43), body: Data("{}".utf8)).status == 404)
            #expect(try await f.get("/metrics").status == 200)
            #expect(try await f.get("/health").status == 200)
            #expect(await listener.stop() == 0)

            let log = listener.logText
            let objects = Self.objects(log)
            let messages = objects.compactMap { $0["message"] as? String }
            #expect(messages.contains("crm listening") && messages.contains("crm stopped"), "\(messages)")
            let requests = objects.filter { $0["message"] as? String == "request" }
            #expect(Set(requests.compactMap { $0["status"] as? String }).isSuperset(of: ["200", "400", "404"]), "\(requests)")
            #expect(requests.contains { ($0["path"] as? String)?.hasPrefix("/webhooks/whatsapp/evolution/****") == true })
            let secret = String(path.split(separator: "/").last ?? "")
            for leak in [secret, Self.contact, Self.account, PairingFixture.secretKey, PairingFixture.apiKey, "Olá"] {
                #expect(!log.contains(leak), "the JSON log leaks '\(leak)'")
            }
        }
    }

    @Test("a database migrated at start and a failure to start are logged as JSON too")
    func startAndFailure() async throws {
        let folder = try TestDatabases.temporaryFolder()
        let url = try await TestDatabases.freshURL(.sqlite)  // not migrated: the listener migrates it
        let cli = CLIRunner(dataFolder: folder)
        let listener = try await ListenerProcess.start(databaseURL: url, environment: cli.environment, extraArguments: ["--log-format", "json"])
        // The port is taken: this one cannot start, and says so in JSON.
        let second = try await cli.run(["webhook", "serve", "--port", "\(listener.port)", "--log-format", "json", "--database", url])
        #expect(await listener.stop() == 0)

        let first = Self.objects(listener.logText)
        #expect(first.contains { ($0["message"] as? String)?.contains("database schema brought to version") == true },
                "\(listener.logText)")
        #expect(second.status != 0)
        #expect(second.stdout.isEmpty)
        let failure = Self.objects(second.stderr)
        #expect(failure.last?["level"] as? String == "critical", "\(second.stderr)")
        #expect(failure.last?["exitCode"] as? String == "\(second.status)", "\(second.stderr)")
    }
}
