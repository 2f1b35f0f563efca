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

    @Test("the request log's milliseconds: one decimal, rounded")
    func milliseconds() {
        #expect(RequestLogMiddleware.oneDecimal(0) == "0.0")
        #expect(RequestLogMiddleware.oneDecimal(3.66) == "3.7")
        #expect(RequestLogMiddleware.oneDecimal(12.04) == "12.0")
        #expect(RequestLogMiddleware.oneDecimal(1234.95) == "1235.0")
    }
}
