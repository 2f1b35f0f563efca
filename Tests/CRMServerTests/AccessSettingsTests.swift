import CRMCore
import Foundation
import Testing

@testable import CRMServer

/// CORS_ORIGINS parsing and the /metrics access rule.
@Suite("Access settings: allowed origins, metrics access")
struct AccessSettingsTests {
    @Test("origins are normalized (scheme and host lowercased, a trailing slash dropped) and matched exactly")
    func origins() throws {
        let allowed = try AllowedOrigins(parsing: " https://App.Example.com/ , http://localhost:5173")
        #expect(allowed.origins == ["https://app.example.com", "http://localhost:5173"])
        #expect(allowed.allowOrigin(for: "https://app.example.com") == "https://app.example.com")
        #expect(allowed.allowOrigin(for: "http://localhost:5173") == "http://localhost:5173")
        #expect(allowed.allowOrigin(for: "https://app.example.com.evil.test") == nil)
        #expect(allowed.allowOrigin(for: "http://app.example.com") == nil, "another scheme is another origin")
        #expect(allowed.allowOrigin(for: "null") == nil)
        #expect(try AllowedOrigins(parsing: "").isEmpty)
        #expect(try AllowedOrigins(parsing: "*").allowOrigin(for: "https://any.test") == "*")
    }

    @Test("a value that is not an origin is a configuration error naming it", arguments: [
        "app.example.com", "https://app.example.com/path", "ftp://files.example.com", "https://", "https://user@app.example.com",
    ])
    func badOrigins(entry: String) {
        #expect {
            try AllowedOrigins(parsing: "https://ok.example.com, \(entry)")
        } throws: { error in
            let error = error as? CRMError
            return error?.kind == .configuration && error?.message.contains(String(entry.prefix(20))) == true
                && error?.message.contains("CORS_ORIGINS") == true
        }
    }

    @Test("metrics: open by default; a token must be presented exactly; loopback-only refuses other addresses")
    func metrics() {
        #expect(MetricsAccess.open.check(authorization: nil, clientAddress: "203.0.113.9") == .allowed)
        let token = MetricsAccess(token: "m3trics-t0ken", loopbackOnly: false)
        #expect(token.check(authorization: nil, clientAddress: "127.0.0.1") == .unauthorized)
        #expect(token.check(authorization: "Bearer wrong", clientAddress: "127.0.0.1") == .unauthorized)
        #expect(token.check(authorization: "Bearer m3trics-t0ke", clientAddress: "127.0.0.1") == .unauthorized)
        #expect(token.check(authorization: "bearer m3trics-t0ken", clientAddress: "203.0.113.9") == .allowed)
        let loopback = MetricsAccess(token: nil, loopbackOnly: true)
        #expect(loopback.check(authorization: nil, clientAddress: "127.0.0.1") == .allowed)
        #expect(loopback.check(authorization: nil, clientAddress: "::1") == .allowed)
        #expect(loopback.check(authorization: nil, clientAddress: "10.0.0.7") == .forbidden)
        let both = MetricsAccess(token: "m3trics-t0ken", loopbackOnly: true)
        #expect(both.check(authorization: "Bearer m3trics-t0ken", clientAddress: "10.0.0.7") == .forbidden)
        #expect(both.check(authorization: nil, clientAddress: "127.0.0.1") == .unauthorized)
        #expect(MetricsAccess(token: "", loopbackOnly: false).isOpen, "an empty token is no token")
    }

    @Test("X-Forwarded-For is believed from trusted proxies only, and only its right-most untrusted hop")
    func forwarded() throws {
        let local = TrustedProxies.loopbackOnly
        #expect(local.client(peer: "127.0.0.1", forwardedFor: "203.0.113.5") == "203.0.113.5")
        #expect(local.client(peer: "127.0.0.1", forwardedFor: "6.6.6.6, 203.0.113.5") == "203.0.113.5", "the left is the client's word")
        #expect(local.client(peer: "::1", forwardedFor: "203.0.113.5, 127.0.0.1") == "203.0.113.5")
        #expect(local.client(peer: "10.0.0.9", forwardedFor: "1.2.3.4") == "10.0.0.9", "an untrusted peer keeps its address")
        #expect(local.client(peer: "127.0.0.1", forwardedFor: nil) == "127.0.0.1")
        #expect(TrustedProxies.none.client(peer: "127.0.0.1", forwardedFor: "1.2.3.4") == "127.0.0.1")
        let network = try TrustedProxies(parsing: "10.0.0.0/8, loopback, 192.0.2.7")
        #expect(network.client(peer: "10.1.2.3", forwardedFor: "198.51.100.4, 10.9.9.9") == "198.51.100.4")
        #expect(network.client(peer: "192.0.2.7", forwardedFor: "198.51.100.4") == "198.51.100.4")
        #expect(network.client(peer: "11.0.0.1", forwardedFor: "198.51.100.4") == "11.0.0.1")
        #expect(try TrustedProxies(parsing: "none") == .none)
        #expect(try TrustedProxies(parsing: "loopback") == .loopbackOnly)
        for bad in ["10.0.0.0/33", "proxy.example.com", "300.1.1.1"] {
            #expect(throws: CRMError.self) { try TrustedProxies(parsing: bad) }
        }
    }

    @Test("the request log's milliseconds: one decimal, rounded")
    func milliseconds() {
        #expect(RequestLogMiddleware.oneDecimal(0) == "0.0")
        #expect(RequestLogMiddleware.oneDecimal(3.66) == "3.7")
        #expect(RequestLogMiddleware.oneDecimal(12.04) == "12.0")
        #expect(RequestLogMiddleware.oneDecimal(1234.95) == "1235.0")
    }
}
