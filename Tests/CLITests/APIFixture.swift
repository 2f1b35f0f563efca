import AsyncHTTPClient
import CRMCore
import CRMStore
import CRMTestSupport
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Testing

/// The HTTP API's end-to-end setting: the pairing fixture's database, unit "loja" and Evolution
/// simulator, a second unit "outra", four users (one per role, and an agent of "outra"), and a
/// listener started with --enable-api. Every password, token and phone number the test handles is
/// remembered; when the listener stops, its whole log is searched for each of them.
struct APIFixture {
    static let secret = "api-test-secret-0123456789-abcdefghijklmnop"
    static let contact = "5511998765432"
    /// email → (role, unit, password)
    static let users: [(email: String, role: String, unit: String?, password: String)] = [
        ("root@example.com", "super_admin", nil, "root-pass-8641"),
        ("admin@loja.example", "unit_admin", "loja", "admin-pass-2750"),
        ("agent@loja.example", "agent", "loja", "agent-pass-9313"),
        ("agent@outra.example", "agent", "outra", "outra-pass-4127"),
    ]

    let outbound: OutboundFixture
    let listener: ListenerProcess
    let units: [String: String]
    private let secrets: NIOLockedValueBox<Set<String>>

    var base: CLIFixture { outbound.pairing.base }

    /// `arguments` go to `crm webhook serve` after `--enable-api` (the login limit is lifted unless
    /// they set one); `connect` pairs "loja" with the simulator first.
    static func with(
        _ kind: TestDatabaseKind, arguments: [String] = [], connect: Bool = false, _ body: (APIFixture) async throws -> Void
    ) async throws {
        try await OutboundFixture.with(kind) { outbound in
            let base = outbound.pairing.base
            try #require(try await base.crm("units", "create", "Outra").status == 0)
            for user in users {
                var arguments = ["users", "create", "--email", user.email, "--role", user.role, "--password-stdin"]
                if let unit = user.unit { arguments += ["--unit", unit] }
                let created = try await base.cli.run(arguments + ["--database", base.databaseURL], stdin: user.password + "\n")
                try #require(created.status == 0, "\(created)")
            }
            var units: [String: String] = [:]
            for slug in ["loja", "outra"] {
                units[slug] = try await outbound.withStore { try await $0.unit(slug: slug)?.id.uuidString.lowercased() }
            }
            var environment = base.cli.environment
            environment.merge(outbound.pairing.environment) { _, new in new }
            environment["JWT_ACCESS_SECRET"] = secret
            // Units paired over the API register this as their webhook base: a refused loopback port
            // (the simulator's webhooks fail at once; tests read the state from GET …/whatsapp/status).
            environment["BASE_URL"] = "http://127.0.0.1:9"
            let limit = arguments.contains("--login-rate-limit") ? [] : ["--login-rate-limit", "10000"]
            // A small pool: the suite runs many listeners at once against one PostgreSQL server.
            let listener = try await ListenerProcess.start(
                databaseURL: base.databaseURL, environment: environment,
                extraArguments: ["--enable-api", "--db-pool-size", "3"] + limit + arguments)
            let fixture = APIFixture(
                outbound: outbound, listener: listener, units: units,
                secrets: NIOLockedValueBox(Set(users.map(\.password) + [secret, contact])))
            do {
                if connect { try await outbound.connect(webhooksTo: listener) }
                try await body(fixture)
            } catch {
                _ = await listener.stop()
                throw error
            }
            let status = await listener.stop()
            #expect(status == 0, "the listener should exit 0 on SIGTERM:\n\(listener.logText.suffix(2000))")
            fixture.expectNoSecretsInLog()
        }
    }

    struct Reply: CustomStringConvertible {
        var status: Int
        var headers: [String: String]
        var text: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:] }
        /// `error.code` of an error answer.
        var code: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var description: String { "\(status) \(text)" }
    }

    /// One request to the listener; `token` goes in `Authorization: Bearer`.
    func request(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, token: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: listener.baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 4 << 20)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        let reply = Reply(status: Int(response.status.code), headers: headers, text: String(buffer: buffer))
        remember(reply)
        return reply
    }

    /// `POST /admin/login` with a fixture user's password (or the one given).
    func login(_ email: String, password: String? = nil) async throws -> Reply {
        let known = Self.users.first { $0.email == email.lowercased() }?.password
        let password = try #require(password ?? known, "no password for \(email)")
        remember(password)
        return try await request(.POST, "/admin/login", json: ["email": email, "password": password])
    }

    /// A fresh access token of a fixture user.
    func token(_ email: String) async throws -> String {
        let reply = try await login(email)
        try #require(reply.status == 200, "\(reply)")
        return try #require(reply.json["accessToken"] as? String)
    }

    /// Runs crm against the fixture's database.
    @discardableResult
    func crm(_ arguments: String...) async throws -> CLIRunner.Result {
        try await base.cli.run(arguments + ["--database", base.databaseURL])
    }

    func remember(_ secret: String) {
        secrets.withLockedValue { _ = $0.insert(secret) }
    }

    /// Tokens in an answer are secrets the log must never hold.
    private func remember(_ reply: Reply) {
        for key in ["accessToken", "refreshToken"] {
            if let token = reply.json[key] as? String { remember(token) }
        }
    }

    func expectNoSecretsInLog(sourceLocation: SourceLocation = #_sourceLocation) {
        let log = listener.logText
        #expect(log.contains("crm listening"), "the log was captured", sourceLocation: sourceLocation)
        for secret in secrets.withLockedValue({ $0 }) where !secret.isEmpty {
            let leaked = log.contains(secret)  // not inside #expect, which would print the log and the secret
            #expect(!leaked, "the listener's log holds a secret (\(secret.prefix(4))…)", sourceLocation: sourceLocation)
        }
    }
}
