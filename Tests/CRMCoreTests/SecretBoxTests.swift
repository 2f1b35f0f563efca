import CRMCore
import Crypto
import Foundation
import Testing

@Suite("SecretBox")
struct SecretBoxTests {
    static let context = "unit:6f1c2d3e-0000-4000-8000-000000000001:evolution"
    static let token = "evo-api-token-7Gq2ZkPp"

    /// A fixed key whose base64 holds both '+' and '/', so the URL-safe spelling differs from the standard one.
    static let keyBytes: [UInt8] = [0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff] + (0..<26).map { UInt8($0) }
    static var keyBase64: String { Data(keyBytes).base64EncodedString() }

    static func box(_ bytes: [UInt8] = keyBytes, previous: [UInt8]? = nil) -> SecretBox {
        SecretBox(key: SymmetricKey(data: bytes), previousKey: previous.map { SymmetricKey(data: $0) })
    }

    static func randomKeyBytes() -> [UInt8] {
        (0..<32).map { _ in UInt8.random(in: .min ... .max) }
    }

    /// Runs `body`, which must throw the one "cannot be opened" configuration error, and checks
    /// that the message leaks neither the plaintext nor the key.
    static func expectCannotOpen(leaking secrets: [String] = [token, keyBase64], _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("opened a value that should not open")
        } catch let error as CRMError {
            #expect(error.kind == .configuration)
            #expect(error.message.contains("cannot be opened with this CRM_SECRET_KEY"))
            #expect(error.message.contains("crm whatsapp configure"))
            for secret in secrets { #expect(!error.message.contains(secret)) }
        } catch {
            Issue.record("expected a CRMError, got \(error)")
        }
    }

    /// Runs `fromEnvironment`, which must fail with a configuration error mentioning `fragment` and not `keyText`.
    static func expectKeyRejected(_ environment: [String: String], mentioning fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SecretBox.fromEnvironment(environment)
            Issue.record("accepted \(environment.keys.sorted())", sourceLocation: sourceLocation)
        } catch let error as CRMError {
            #expect(error.kind == .configuration, sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
            for value in environment.values where !value.trimmingCharacters(in: .whitespaces).isEmpty {
                #expect(!error.message.contains(value), sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("expected a CRMError, got \(error)", sourceLocation: sourceLocation)
        }
    }

    // MARK: Round trips

    @Test func roundTripsBytesEmptyAndLarge() throws {
        let box = Self.box()
        let large = (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for plaintext in [[], [0x00], Array(Self.token.utf8), large] as [[UInt8]] {
            let sealed = try box.seal(plaintext, context: Self.context)
            #expect(sealed.first == 0x01)
            #expect(sealed.count == 1 + 12 + plaintext.count + 16)
            #expect(try box.open(sealed, context: Self.context) == plaintext)
        }
    }

    @Test(arguments: ["", "plain ascii token", "Olá, São Paulo 🇧🇷", "日本語のトークン", "e\u{301}", #"{"apiKey":"k","instance":"loja"}"#])
    func roundTripsStrings(text: String) throws {
        let box = Self.box()
        let sealed = try box.seal(text, context: Self.context)
        #expect(try box.openString(sealed, context: Self.context) == text)
        // The stored bytes do not carry the plaintext in clear.
        if text.utf8.count >= 4 { #expect(Data(sealed).range(of: Data(text.utf8)) == nil) }
    }

    @Test func everySealDiffersYetOpens() throws {
        let box = Self.box()
        let sealed = try (0..<200).map { _ in try box.seal(Self.token, context: Self.context) }
        #expect(Set(sealed).count == sealed.count)
        #expect(Set(sealed.map { $0[1..<13] }).count == sealed.count, "nonces repeat")
        for value in sealed { #expect(try box.openString(value, context: Self.context) == Self.token) }
    }

    // MARK: Failures to open

    @Test func wrongKeyFails() throws {
        let sealed = try Self.box().seal(Self.token, context: Self.context)
        let other = Self.randomKeyBytes()
        Self.expectCannotOpen(leaking: [Self.token, Self.keyBase64, Data(other).base64EncodedString()]) {
            _ = try Self.box(other).open(sealed, context: Self.context)
        }
    }

    @Test func wrongContextFails() throws {
        let box = Self.box()
        let sealed = try box.seal(Self.token, context: Self.context)
        for other in [
            "unit:6f1c2d3e-0000-4000-8000-000000000002:evolution",  // another unit's row
            "unit:6f1c2d3e-0000-4000-8000-000000000001:zapi",  // another provider
            "",
        ] {
            Self.expectCannotOpen { _ = try box.open(sealed, context: other) }
        }
    }

    /// Flips every bit of one region in turn; GCM's tag must catch each one.
    @Test(arguments: ["nonce", "ciphertext", "tag"])
    func flippedBitFails(region: String) throws {
        let box = Self.box()
        let sealed = try box.seal(Self.token, context: Self.context)
        let tagStart = sealed.count - 16
        let range = switch region {
        case "nonce": 1..<13
        case "ciphertext": 13..<tagStart
        default: tagStart..<sealed.count
        }
        #expect(!range.isEmpty)
        for index in range {
            for bit in 0..<8 {
                var altered = sealed
                altered[index] ^= 1 << bit
                Self.expectCannotOpen { _ = try box.open(altered, context: Self.context) }
            }
        }
    }

    @Test func truncatedEmptyOrExtendedFails() throws {
        let box = Self.box()
        let sealed = try box.seal(Self.token, context: Self.context)
        for length in 0..<sealed.count {
            Self.expectCannotOpen { _ = try box.open(Array(sealed.prefix(length)), context: Self.context) }
        }
        Self.expectCannotOpen { _ = try box.open(sealed + [0x00], context: Self.context) }
    }

    @Test func unknownVersionFails() throws {
        let box = Self.box()
        let sealed = try box.seal(Self.token, context: Self.context)
        for version: UInt8 in [0x00, 0x02, 0xff] {
            var altered = sealed
            altered[0] = version
            Self.expectCannotOpen { _ = try box.open(altered, context: Self.context) }
        }
    }

    // MARK: The key from the environment

    @Test func acceptsEveryKeySpelling() throws {
        let standard = Self.keyBase64
        #expect(standard.contains("+") && standard.contains("/") && standard.hasSuffix("="))
        let urlSafe = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let hex = Self.keyBytes.map { String(format: "%02x", $0) }.joined()
        let spellings = [
            standard, urlSafe,
            standard.replacingOccurrences(of: "=", with: ""), urlSafe.replacingOccurrences(of: "=", with: ""),
            hex, hex.uppercased(), "  \(standard)\n",
        ]
        let sealed = try Self.box().seal(Self.token, context: Self.context)
        for spelling in spellings {
            let box = try SecretBox.fromEnvironment(["CRM_SECRET_KEY": spelling])
            #expect(try box.openString(sealed, context: Self.context) == Self.token, "\(spelling)")
        }
    }

    @Test func missingKeyIsAClearError() {
        Self.expectKeyRejected([:], mentioning: "CRM_SECRET_KEY is not set")
        Self.expectKeyRejected(["CRM_SECRET_KEY": ""], mentioning: "CRM_SECRET_KEY is not set")
        Self.expectKeyRejected(["CRM_SECRET_KEY": " \n"], mentioning: "CRM_SECRET_KEY is not set")
        Self.expectKeyRejected(["CRM_SECRET_KEY_PREVIOUS": Self.keyBase64], mentioning: "CRM_SECRET_KEY is not set")
    }

    @Test func wrongSizesAndGarbageAreRejected() {
        let sizes = [31, 33, 16, 64].map { count in (0..<count).map { UInt8(truncatingIfNeeded: $0 &+ 0x41) } }
        var texts = sizes.flatMap { bytes in
            [Data(bytes).base64EncodedString(), bytes.map { String(format: "%02x", $0) }.joined()]
        }
        texts += [
            "not a key", "changeme",
            String(repeating: "g", count: 64),  // 64 characters but not hex (and 48 bytes as base64)
            Self.keyBase64 + Self.keyBase64,
            "=" + Self.keyBase64.dropLast(),
        ]
        for text in texts {
            Self.expectKeyRejected(["CRM_SECRET_KEY": text], mentioning: "must be 32 random bytes in base64 or hex")
        }
        Self.expectKeyRejected(
            ["CRM_SECRET_KEY": Self.keyBase64, "CRM_SECRET_KEY_PREVIOUS": "old"],
            mentioning: "CRM_SECRET_KEY_PREVIOUS must be 32 random bytes"
        )
    }

    @Test func generatedKeyTextIsAcceptedAndFresh() throws {
        let first = SecretBox.generateKeyText()
        let second = SecretBox.generateKeyText()
        #expect(first.count == 44 && first != second)
        #expect(Data(base64Encoded: first)?.count == 32)
        let box = try SecretBox.fromEnvironment(["CRM_SECRET_KEY": first])
        #expect(try box.openString(box.seal("x", context: Self.context), context: Self.context) == "x")
    }

    // MARK: Rotation

    @Test func previousKeyStillOpensAndResealMovesToTheCurrentKey() throws {
        let old = Self.randomKeyBytes()
        let new = Self.randomKeyBytes()
        let stored = try Self.box(old).seal(Self.token, context: Self.context)

        let rotating = try SecretBox.fromEnvironment([
            "CRM_SECRET_KEY": Data(new).base64EncodedString(),
            "CRM_SECRET_KEY_PREVIOUS": Data(old).base64EncodedString(),
        ])
        #expect(try rotating.openString(stored, context: Self.context) == Self.token)
        // The previous key does not weaken the context binding.
        Self.expectCannotOpen { _ = try rotating.open(stored, context: "unit:other:evolution") }

        // New seals use the current key only.
        let fresh = try rotating.seal(Self.token, context: Self.context)
        Self.expectCannotOpen { _ = try Self.box(old).open(fresh, context: Self.context) }

        // After resealing, the previous key can go.
        let resealed = try rotating.reseal(stored, context: Self.context)
        let newOnly = Self.box(new)
        #expect(try newOnly.openString(resealed, context: Self.context) == Self.token)
        Self.expectCannotOpen { _ = try newOnly.open(stored, context: Self.context) }
    }
}
