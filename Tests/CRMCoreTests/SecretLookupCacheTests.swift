import Foundation
import Testing

@testable import CRMCore

@Suite("Secret lookup cache")
struct SecretLookupCacheTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func connection(_ instance: String) -> WhatsAppConnection {
        WhatsAppConnection(unitId: UUID(), provider: .evolution, instanceName: instance, createdAt: t0, updatedAt: t0)
    }

    @Test("a secret is remembered for its time to live, then looked up again")
    func expiry() {
        let cache = SecretLookupCache(ttl: 1)
        let loja = connection("crm-loja")
        #expect(cache.connection(hash: "h1", now: t0) == nil)
        cache.remember(loja, hash: "h1", now: t0)
        #expect(cache.connection(hash: "h1", now: t0.addingTimeInterval(0.9)) == loja)
        #expect(cache.connection(hash: "h2", now: t0.addingTimeInterval(0.9)) == nil)
        #expect(cache.connection(hash: "h1", now: t0.addingTimeInterval(1)) == nil, "expired at exactly its time to live")
        // Expired entries are dropped, not served later by a clock that went back.
        #expect(cache.connection(hash: "h1", now: t0) == nil)
    }

    @Test("past its capacity it starts over instead of growing")
    func capacity() {
        let cache = SecretLookupCache(ttl: 60, capacity: 3)
        for index in 0..<3 { cache.remember(connection("i\(index)"), hash: "h\(index)", now: t0) }
        #expect(cache.connection(hash: "h0", now: t0)?.instanceName == "i0")
        cache.remember(connection("i3"), hash: "h3", now: t0)
        #expect(cache.connection(hash: "h0", now: t0) == nil)
        #expect(cache.connection(hash: "h3", now: t0)?.instanceName == "i3")
    }
}
