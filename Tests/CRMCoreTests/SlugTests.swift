import CRMCore
import Testing

@Suite("Slugs")
struct SlugTests {
    @Test(arguments: [
        ("São Paulo Centro", "sao-paulo-centro"),
        ("  Loja   Nº 2 — Ação!  ", "loja-no-2-acao"),
        ("🍕 Pizza 🍕", "pizza"),
        ("Straße Ærø Łódź", "strasse-aero-lodz"),
        ("Robert'); DROP TABLE units;--", "robert-drop-table-units"),
        ("ＦＵＬＬ width", "full-width"),
        ("a--b__c", "a-b-c"),
    ])
    func derive(name: String, slug: String) {
        #expect(Slug.derive(from: name) == slug)
    }

    @Test func nothingLeft() {
        #expect(Slug.derive(from: "🍕🍕") == nil)
        #expect(Slug.derive(from: "日本語") == nil)
        #expect(Slug.derive(from: "") == nil)
    }

    @Test func derivedSlugsRespectTheLimit() throws {
        let slug = try #require(Slug.derive(from: String(repeating: "ab ", count: 100)))
        #expect(slug.count <= Slug.maxLength)
        #expect(!slug.hasSuffix("-"))
        #expect(try Slug.validate(slug) == slug)
    }

    @Test func validate() throws {
        #expect(try Slug.validate(" Loja-2 ") == "loja-2")
        for bad in ["", "-a", "a-", "a--b", "a b", "ação", "a_b", String(repeating: "a", count: 64)] {
            #expect(throws: CRMError.self, "\(bad)") { try Slug.validate(bad) }
        }
    }
}
