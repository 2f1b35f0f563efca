import AsyncHTTPClient
import CRMTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The listener's access settings end to end: CORS for browsers, the per-user API rate limit,
/// and who may read /metrics.
@Suite("HTTP API: CORS, per-user rate limit, /metrics access")
struct APIAccessTests {
    static let app = "https://app.example.com"

    /// One request with the given headers; the answer's status and headers (lowercased names).
    static func send(_ method: HTTPMethod, _ url: String, headers: [String: String]) async throws -> (status: Int, headers: [String: String]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 4 << 20)
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name.lowercased()] = header.value }
        return (Int(response.status.code), fields)
    }

    @Test("CORS: the listed origin gets its preflight and the header; another origin and plain clients get none")
    func cors() async throws {
        try await APIFixture.with(.sqlite, arguments: ["--cors-origins", Self.app + ", http://localhost:5173"]) { f in
            let url = f.listener.baseURL + "/messages"
            let preflight = try await Self.send(.OPTIONS, url, headers: [
                "Origin": Self.app, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type",
            ])
            #expect(preflight.status == 204)
            #expect(preflight.headers["access-control-allow-origin"] == Self.app)
            #expect(preflight.headers["access-control-allow-methods"]?.contains("POST") == true)
            #expect(preflight.headers["access-control-allow-headers"]?.contains("Authorization") == true)
            #expect(preflight.headers["access-control-allow-credentials"] == nil, "bearer tokens, never cookies")

            let stranger = try await Self.send(.OPTIONS, url, headers: ["Origin": "https://evil.example", "Access-Control-Request-Method": "POST"])
            #expect(stranger.headers["access-control-allow-origin"] == nil && stranger.headers["access-control-allow-methods"] == nil)

            let token = try await f.token("agent@loja.example")
            let read = try await Self.send(.GET, url, headers: ["Origin": Self.app, "Authorization": "Bearer \(token)"])
            #expect(read.status == 200)
            #expect(read.headers["access-control-allow-origin"] == Self.app && read.headers["vary"] == "Origin")
            let strangerRead = try await Self.send(.GET, url, headers: ["Origin": "https://evil.example", "Authorization": "Bearer \(token)"])
            #expect(strangerRead.status == 200 && strangerRead.headers["access-control-allow-origin"] == nil)
            let plain = try await Self.send(.GET, url, headers: ["Authorization": "Bearer \(token)"])
            #expect(plain.status == 200 && plain.headers["access-control-allow-origin"] == nil)
        }
    }

    @Test("without CORS_ORIGINS no origin is allowed")
    func noCORSByDefault() async throws {
        try await APIFixture.with(.sqlite) { f in
            let preflight = try await Self.send(.OPTIONS, f.listener.baseURL + "/messages", headers: [
                "Origin": Self.app, "Access-Control-Request-Method": "POST",
            ])
            #expect(preflight.headers["access-control-allow-origin"] == nil)
        }
    }

    @Test("past its per-minute API limit a user gets 429 with Retry-After; another user goes on")
    func perUserLimit() async throws {
        try await APIFixture.with(.sqlite, arguments: ["--api-rate-limit", "3"]) { f in
            let agent = try await f.token("agent@loja.example")
            let admin = try await f.token("admin@loja.example")
            for _ in 0..<3 {
                let reply = try await f.request(.GET, "/messages", token: agent)
                #expect(reply.status == 200, "\(reply)")
            }
            let limited = try await f.request(.GET, "/messages", token: agent)
            #expect(limited.status == 429 && limited.code == "rate_limited", "\(limited)")
            #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1)
            #expect(try await f.request(.GET, "/messages", token: admin).status == 200)
            let metrics = try await f.request(.GET, "/metrics")
            #expect(metrics.text.contains("crm_http_rate_limited_total{scope=\"api_user\"} 1"), "\(metrics.text.prefix(300))")
        }
    }

    /// A wrong-password login through a "proxy" that forwards `forwardedFor`; the status.
    static func login(_ baseURL: String, forwardedFor: String, email: String = "agent@loja.example") async throws -> Int {
        var request = HTTPClientRequest(url: baseURL + "/admin/login")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Forwarded-For", value: forwardedFor)
        request.body = .bytes(ByteBuffer(string: #"{"email":"\#(email)","password":"wrong-password-0"}"#))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 16)
        return Int(response.status.code)
    }

    @Test("behind a proxy on loopback, each forwarded client has its own login limit; a client cannot choose its address by the header's left")
    func forwardedLoginLimit() async throws {
        try await APIFixture.with(.sqlite, arguments: ["--login-rate-limit", "2"]) { f in
            let url = f.listener.baseURL
            var statuses: [Int] = []
            // Each attempt for another email, so that only the per-address limit can refuse.
            let clients = ["198.51.100.1", "198.51.100.1", "198.51.100.1", "7.7.7.7, 198.51.100.1", "198.51.100.2"]
            for (index, client) in clients.enumerated() {
                statuses.append(try await Self.login(url, forwardedFor: client, email: "nobody\(index)@loja.example"))
            }
            // The third from one client is limited; a made-up left-hand address changes nothing;
            // another client behind the same proxy is not limited.
            #expect(statuses == [401, 401, 429, 429, 401])
        }
    }

    @Test("a bad CORS_ORIGINS or CRM_API_RATE_LIMIT stops the listener at start with exit 78, naming the setting")
    func badSettings() async throws {
        let base = try await CLIFixture.make(.sqlite)
        for (variable, value) in [("CORS_ORIGINS", "app.example.com"), ("CRM_API_RATE_LIMIT", "lots"), ("CRM_TRUSTED_PROXIES", "proxy.lan")] {
            let result = try await base.cli.run(
                ["webhook", "serve", "--port", "0", "--enable-api", "--database", base.databaseURL],
                environment: ["JWT_ACCESS_SECRET": APIFixture.secret, variable: value])
            #expect(result.status == 78, "\(result)")
            #expect(result.stderr.contains(variable) && !result.stderr.contains(APIFixture.secret), "\(result.stderr)")
        }
    }

    @Test("/metrics with CRM_METRICS_TOKEN: 401 without the token, 200 with it; /health stays open; the limiters' sizes are reported")
    func metricsToken() async throws {
        let base = try await CLIFixture.make(.sqlite)
        let token = "metrics-token-5813-abcdef"
        let listener = try await ListenerProcess.start(
            databaseURL: base.databaseURL, environment: base.cli.environment.merging(["CRM_METRICS_TOKEN": token]) { _, new in new })
        let without = try await Self.send(.GET, listener.baseURL + "/metrics", headers: [:])
        let wrong = try await Self.send(.GET, listener.baseURL + "/metrics", headers: ["Authorization": "Bearer nope"])
        let webhook = try await Self.send(.POST, listener.baseURL + "/webhooks/whatsapp/evolution/no-such-secret-0000", headers: [:])
        var scrape = HTTPClientRequest(url: listener.baseURL + "/metrics")
        scrape.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await HTTPClient.shared.execute(scrape, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        #expect(webhook.status == 404)
        // Set at each scrape (a bucket that has refilled is forgotten, so the value is 0 or 1 here).
        let gauges = text.split(separator: "\n").filter { $0.hasPrefix("crm_rate_limiter_keys{") }
        #expect(gauges.count == 2 && gauges.allSatisfy { $0.hasSuffix(" 0") || $0.hasSuffix(" 1") }, "\(gauges)")
        let with = try await Self.send(.GET, listener.baseURL + "/metrics", headers: ["Authorization": "Bearer \(token)"])
        let health = try await Self.send(.GET, listener.baseURL + "/health", headers: [:])
        let status = await listener.stop()
        #expect(without.status == 401 && without.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        #expect(wrong.status == 401 && with.status == 200 && health.status == 200)
        #expect(status == 0)
        #expect(!listener.logText.contains(token), "the token is never logged")
    }
}
