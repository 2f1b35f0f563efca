import Foundation
import Testing

@testable import CRMStore

@Suite("Batch table JSON")
struct BatchTableTests {
    @Test("text with quotes, backslashes, control characters and emoji reads back exactly")
    func roundTrip() throws {
        var table = BatchTable([("a", "text"), ("b", "float8"), ("c", "text")])
        let texts = ["plain", "aspas \" e \\ barra", "linha\nnova\r\ttab", "controle \u{01}\u{1F}\u{7F}", "olá ☕ 👩‍👩‍👧", ""]
        for (index, text) in texts.enumerated() { table.append([.text(text), .number(1_790_000_000.123456 + Double(index)), .null]) }
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(table.json.utf8)) as? [[Any]])
        #expect(parsed.map { $0[0] as? String } == texts)
        #expect(abs((parsed[0][1] as? Double ?? 0) - 1_790_000_000.123456) < 1e-6)
        #expect(parsed.allSatisfy { $0[2] is NSNull })
    }

    @Test("an empty table is an empty array")
    func empty() {
        #expect(BatchTable([("a", "text")]).json == "[]")
    }
}
