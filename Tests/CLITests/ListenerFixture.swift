import AsyncHTTPClient
import CRMCore
import CRMStore
import CRMTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import SQLKit
import Testing

/// A pairing fixture plus a running listener that the unit's provider posts to.
struct ListenerFixture {
    let pairing: PairingFixture
    let listener: ListenerProcess

    static func with(_ kind: TestDatabaseKind, _ body: (ListenerFixture) async throws -> Void) async throws {
        try await PairingFixture.with(kind) { pairing in
            var environment = pairing.base.cli.environment
            environment.merge(pairing.environment) { _, new in new }
            let listener = try await ListenerProcess.start(databaseURL: pairing.base.databaseURL, environment: environment)
            let fixture = ListenerFixture(pairing: pairing, listener: listener)
            do {
                try await body(fixture)
            } catch {
                _ = await listener.stop()
                throw error
            }
            let status = await listener.stop()
            #expect(status == 0, "the listener should exit 0 on SIGTERM:\n\(listener.logText.suffix(2000))")
        }
    }

    /// `crm whatsapp …` with BASE_URL pointing at this listener.
    func whatsapp(_ arguments: [String], unit: String = "loja") async throws -> CLIRunner.Result {
        try await pairing.whatsapp(arguments, unit: unit, overrides: ["BASE_URL": listener.baseURL])
    }

    struct Reply {
        var status: Int
        var text: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:] }
    }

    func post(_ path: String, body: Data, headers: [(String, String)] = [], timeout: Int64 = 30) async throws -> Reply {
        var request = HTTPClientRequest(url: listener.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        // A refused connection is retried until the timeout: a post to a dead listener takes all of it.
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), text: String(buffer: buffer))
    }

    func get(_ path: String) async throws -> Reply {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: listener.baseURL + path), timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), text: String(buffer: buffer))
    }

    /// Runs a query on the fixture's database.
    func rows(_ query: String) async throws -> [any SQLRow] {
        let database = try await CRMDatabase.open(try DatabaseLocation.parse(pairing.base.databaseURL), logger: TestDatabases.logger)
        let rows = try await database.withUnsafeSQL { sql in try await sql.raw(SQLQueryString(query)).all() }
        await database.close()
        return rows
    }

    func count(_ query: String) async throws -> Int {
        try await rows(query).first?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Polls until `condition` holds (webhooks are asynchronous); records an issue after `seconds`.
    func eventually(_ what: String, seconds: Double = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what)\nlistener log:\n\(listener.logText.suffix(3000))")
        throw CancellationError()
    }

    /// The unit's webhook path (`/webhooks/whatsapp/<provider>/<secret>`), from the URL connect printed.
    static func path(of url: String) -> String {
        guard let range = url.range(of: "/webhooks/") else { return url }
        return String(url[range.lowerBound...])
    }
}
