import CRMCore
import Foundation
import Testing

@testable import CRMServer

/// Access tokens (JWT HS256 through jwt-kit): what verifies, what expires, what is refused.
@Suite("Access tokens")
struct AccessTokensTests {
    static let secret = String(repeating: "k", count: 40)
    let user = User(
        id: UUID(), unitId: UUID(), email: "ana@example.com", name: "Ana", role: .agent, disabledAt: nil,
        createdAt: Date(), updatedAt: Date())

    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var current = Date(timeIntervalSince1970: 1_790_000_000.25)
        var now: Date { lock.withLock { current } }
        func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    }

    @Test func anIssuedTokenVerifiesWithItsUserAndEpochUntilItExpires() async throws {
        let clock = Clock()
        let tokens = await AccessTokens(secret: Self.secret, lifetime: 900, now: { clock.now })
        let (token, expires) = try await tokens.issue(for: user, epoch: 7)
        #expect(expires == Date(timeIntervalSince1970: 1_790_000_901))
        #expect(token.split(separator: ".").count == 3)
        let claims = try await tokens.verify(token)
        #expect(claims.userId == user.id && claims.epoch == 7)
        clock.advance(900)
        _ = try await tokens.verify(token)
        clock.advance(1)
        await #expect(throws: AccessTokens.Refusal.expired) { _ = try await tokens.verify(token) }
    }

    @Test func anotherKeyATamperedPayloadAlgNoneAndGarbageAreRefused() async throws {
        let tokens = await AccessTokens(secret: Self.secret, lifetime: 900)
        let stranger = await AccessTokens(secret: String(repeating: "x", count: 40), lifetime: 900)
        let (foreign, _) = try await stranger.issue(for: user, epoch: 0)
        await #expect(throws: AccessTokens.Refusal.invalid) { _ = try await tokens.verify(foreign) }

        let (token, _) = try await tokens.issue(for: user, epoch: 0)
        let parts = token.split(separator: ".").map(String.init)
        // The payload says super_admin now; the signature no longer matches.
        var claims = try JSONSerialization.jsonObject(with: Self.base64URLDecode(parts[1])) as! [String: Any]
        claims["role"] = "super_admin"
        let forged = Self.base64URL(try JSONSerialization.data(withJSONObject: claims))
        await #expect(throws: AccessTokens.Refusal.invalid) { _ = try await tokens.verify([parts[0], forged, parts[2]].joined(separator: ".")) }

        let none = Self.base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
        await #expect(throws: AccessTokens.Refusal.invalid) { _ = try await tokens.verify("\(none).\(parts[1]).") }
        for garbage in ["", "abc", "a.b.c", String(repeating: "a", count: 5_000)] {
            await #expect(throws: AccessTokens.Refusal.invalid) { _ = try await tokens.verify(garbage) }
        }
    }

    @Test func theSecretMustBeSetAndAtLeast32Bytes() throws {
        for secret in [nil, "", String(repeating: "s", count: 31)] {
            #expect(throws: CRMError.self) { _ = try APIConfiguration(accessSecret: secret) }
            do {
                _ = try APIConfiguration(accessSecret: secret)
            } catch let error as CRMError {
                #expect(error.kind == .configuration)
                #expect(error.message.contains("JWT_ACCESS_SECRET"))
            }
        }
        #expect(try APIConfiguration(accessSecret: String(repeating: "s", count: 32)).accessTokenLifetime == 900)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: String) -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64) ?? Data()
    }
}

/// Login attempts: per client address and per email, an address over its limit sparing the email's attempts.
@Suite("Login rate limits")
struct LoginRateLimitsTests {
    @Test func perAddressAndPerEmail() {
        let limits = LoginRateLimits(attemptsPerMinute: 2)
        let metrics = MetricsRegistry()
        // Two addresses share one email's two attempts.
        #expect(limits.check(client: "10.0.0.1", email: "Ana@example.com", metrics: metrics) == nil)
        #expect(limits.check(client: "10.0.0.2", email: "ana@EXAMPLE.com", metrics: metrics) == nil)
        let email = limits.check(client: "10.0.0.3", email: "ana@example.com", metrics: metrics)
        #expect(email?.code == "rate_limited" && email?.headers["Retry-After"] == "30")
        // One address tries other emails until its own two are spent.
        #expect(limits.check(client: "10.0.0.1", email: "bia@example.com", metrics: metrics) == nil)
        #expect(limits.check(client: "10.0.0.1", email: "caio@example.com", metrics: metrics)?.code == "rate_limited")
        // Refused by its address, it spent none of caio's attempts.
        #expect(limits.check(client: "10.0.0.9", email: "caio@example.com", metrics: metrics) == nil)
        #expect(limits.check(client: "10.0.0.8", email: "caio@example.com", metrics: metrics) == nil)
        #expect(metrics.render().contains(#"crm_http_rate_limited_total{scope="login_email"} 1"#))
        #expect(metrics.render().contains(#"crm_http_rate_limited_total{scope="login_client"} 1"#))
    }
}
