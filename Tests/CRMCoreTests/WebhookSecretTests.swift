import CRMCore
import Foundation
import Testing

@Suite("WebhookSecret")
struct WebhookSecretTests {
    static let base64URLAlphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test func generatedSecretsAre43Base64URLCharactersOf32Bytes() {
        for _ in 0..<100 {
            let secret = WebhookSecret.generate()
            #expect(secret.count == 43)
            #expect(secret.allSatisfy(Self.base64URLAlphabet.contains), "\(secret)")
            #expect(WebhookSecret.isWellFormed(secret))
            // Decodes back to exactly 32 bytes once turned into padded standard base64.
            let standard = secret.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "="
            #expect(Data(base64Encoded: standard)?.count == 32)
        }
    }

    @Test func generatedSecretsAreUnique() {
        let secrets = (0..<1_000).map { _ in WebhookSecret.generate() }
        #expect(Set(secrets).count == 1_000)
    }

    @Test func hashIsLowercaseHexSHA256() {
        #expect(WebhookSecret.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(WebhookSecret.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let secret = WebhookSecret.generate()
        let hash = WebhookSecret.hash(secret)
        #expect(hash.count == 64 && hash.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(hash == WebhookSecret.hash(secret))
        #expect(!hash.contains(secret))
    }

    @Test func matchesOnlyTheSecretItsHashCameFrom() {
        let secret = WebhookSecret.generate()
        let hash = WebhookSecret.hash(secret)
        #expect(WebhookSecret.matches(secret, hash: hash))
        #expect(WebhookSecret.matches(secret, hash: hash.uppercased()))
        #expect(!WebhookSecret.matches(WebhookSecret.generate(), hash: hash))
        #expect(!WebhookSecret.matches(String(secret.dropLast()) + (secret.last == "A" ? "B" : "A"), hash: hash))
        #expect(WebhookSecret.matches("abc", hash: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        // Only the last byte differs: the check must still see it.
        #expect(!WebhookSecret.matches("abc", hash: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae"))
        // A stored hash that is not 64 hex digits matches nothing, not even the secret it was cut from.
        for malformed in ["", String(hash.dropLast()), hash + "0", String(hash.dropLast()) + "g", secret] {
            #expect(!WebhookSecret.matches(secret, hash: malformed), "\(malformed)")
        }
    }

    @Test func wellFormedIs43Base64URLCharacters() {
        let valid = WebhookSecret.generate()
        #expect(WebhookSecret.isWellFormed(valid))
        #expect(WebhookSecret.isWellFormed(String(repeating: "A", count: 43)))
        #expect(WebhookSecret.isWellFormed("abcdefghijklmnopqrstuvwxyz-_0123456789ABCDE"))
        let head = String(valid.dropLast())
        let tooShortOrLong: [String] = ["", head, valid + "A"]
        let badLastCharacter: [String] = ["+", "/", "=", " ", "é", "\u{0}"].map { head + $0 }
        let injections: [String] = ["../../etc/passwd", "' OR 1=1 --"]
        for garbage in tooShortOrLong + badLastCharacter + injections {
            #expect(!WebhookSecret.isWellFormed(garbage), "\(garbage)")
        }
    }

    @Test func maskedShowsOnlyTheLastFourCharacters() {
        let secret = WebhookSecret.generate()
        let masked = WebhookSecret.masked(secret)
        #expect(masked == "****" + secret.suffix(4))
        #expect(!masked.contains(secret.prefix(8)))
        #expect(WebhookSecret.masked("short") == "****")
    }
}
