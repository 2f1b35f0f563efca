import CRMProviders
import Foundation
import Testing

@Suite("Provider responses: HTML pages told from the API's JSON")
struct ProviderHTTPResponseTests {
    static func response(_ body: String, contentType: String? = "application/json") -> ProviderHTTPResponse {
        ProviderHTTPResponse(status: 502, contentType: contentType, body: Data(body.utf8))
    }

    @Test("JSON, with or without leading white space, is not HTML")
    func json() {
        #expect(!Self.response(#"{"key":{"id":"3EB0"}}"#).looksLikeHTML)
        #expect(!Self.response(" \r\n\t{\"error\": \"<b>\"}").looksLikeHTML)
        #expect(!Self.response("[]").looksLikeHTML)
        #expect(!Self.response("").looksLikeHTML)
        #expect(!Self.response("   ").looksLikeHTML)
    }

    @Test("a page is HTML by its content type or its first visible character, after any white space")
    func html() {
        #expect(Self.response("<!DOCTYPE html><html>", contentType: nil).looksLikeHTML)
        #expect(Self.response("\n\n  <html><body>Bad gateway</body></html>").looksLikeHTML)
        #expect(Self.response("{}", contentType: "Text/HTML; charset=utf-8").looksLikeHTML)
        // Unicode white space (no-break space, next line) before the page: still a page.
        #expect(Self.response("\u{A0}\u{85}<p>erro</p>").looksLikeHTML)
        // A byte order mark is not white space: what follows it is not taken for a page.
        #expect(!Self.response("\u{FEFF}<html>").looksLikeHTML)
    }
}
