import CRMCore
import Testing

@Suite("Masking")
struct MaskingTests {
    @Test func phones() {
        #expect(Masking.phone("5511998764321") == "5511*****4321")
        #expect(Masking.phone("551199876432") == "5511****6432")
        #expect(!Masking.phone("12345678").contains("345678"))
    }

    @Test func secrets() {
        #expect(Masking.secret("sk_live_abcdefgh1234") == "****1234")
        #expect(Masking.secret("short") == "****")
    }

    @Test func urls() {
        #expect(Masking.urlPassword("postgres://crm:s3cr%40t@db.example.com:5432/crm") == "postgres://crm:****@db.example.com:5432/crm")
        #expect(Masking.urlPassword("postgres://crm@db/crm") == "postgres://crm@db/crm")
        #expect(Masking.urlPassword("postgres://u:p@h/db?x=a@b") == "postgres://u:****@h/db?x=a@b")
    }

    @Test func bcryptHashesVerify() {
        let hasher = BcryptPasswordHasher(cost: 4)  // clamped to the minimum
        #expect(hasher.cost == BcryptPasswordHasher.minimumCost)
        let hash = hasher.hash("correct horse")
        #expect(hash.hasPrefix("$2"))
        #expect(hasher.verify("correct horse", hash: hash))
        #expect(!hasher.verify("correct horsE", hash: hash))
    }
}
