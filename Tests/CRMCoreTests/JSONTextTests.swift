import CRMCore
import Foundation
import Testing

@Suite("JSON written by hand")
struct JSONTextTests {
    @Test("an object of strings: keys sorted, every string escaped, read back exactly by Foundation")
    func object() throws {
        let fields = [
            "result": "applied", "eventId": "0190f1c2-…", "error": "say \"hi\"\\ then\n\ttab\u{01}",
            "url": "http://x/y", "emoji": "olá 👋🏽",
        ]
        let text = JSONText.object(fields)
        #expect(text.hasPrefix("{\"emoji\":"))
        #expect(text.contains("\"url\":\"http://x/y\""), "slashes are not escaped, as JSONEncoder's .withoutEscapingSlashes")
        #expect(text.contains("\\u0001") && text.contains("\\n") && text.contains("\\t") && text.contains("\\\""))
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        #expect(decoded == fields)
        let keys = text.split(separator: ",").map { $0.drop(while: { $0 == "{" }).prefix(while: { $0 != ":" }) }
        #expect(keys == ["\"emoji\"", "\"error\"", "\"eventId\"", "\"result\"", "\"url\""])
        #expect(JSONText.object([:]) == "{}")
    }
}
