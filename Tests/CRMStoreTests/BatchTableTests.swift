import CRMCore
import Foundation
import Testing

@testable import CRMStore

@Suite("Batch table JSON")
struct BatchTableTests {
    @Test("text with quotes, backslashes, control characters and emoji reads back exactly")
    func roundTrip() throws {
        var table = BatchTable([("a", "text"), ("b", "float8"), ("c", "text")])
        let texts = ["plain", "aspas \" e \\ barra", "linha\nnova\r\ttab", "controle \u{01}\u{1F}\u{7F}", "olá ☕ 👩‍👩‍👧", "",
                     "\"\u{301}acento após aspas e\u{301}\"", "🇧🇷\\"]
        for (index, text) in texts.enumerated() { table.append([.text(text), .number(1_790_000_000.123456 + Double(index)), .null]) }
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(table.json.utf8)) as? [[Any]])
        // Scalar by scalar: String's == would also accept a normalized form.
        #expect(parsed.map { ($0[0] as? String).map { Array($0.unicodeScalars) } } == texts.map { Array($0.unicodeScalars) })
        #expect(abs((parsed[0][1] as? Double ?? 0) - 1_790_000_000.123456) < 1e-6)
        #expect(parsed.allSatisfy { $0[2] is NSNull })
    }

    @Test("ids are written as uuidString writes them; new ids are version 7 and sort in the order they were made")
    func ids() throws {
        var table = BatchTable([("a", "uuid")])
        let ids = [UUID(), UUID(uuidString: "00000000-0000-4000-8000-0000000000FF")!]
        for id in ids { table.append([.id(id)]) }
        #expect(table.json == "[" + ids.map { "[\"\($0.uuidString)\"]" }.joined(separator: ",") + "]")

        let t0 = Date(timeIntervalSince1970: 1_790_000_000.5)
        let made = (0..<50).map { UUID.timeOrdered(at: t0.addingTimeInterval(Double($0) / 100)) }
        #expect(made.map(\.uuidString) == made.map(\.uuidString).sorted())
        #expect(Set(made).count == 50)
        for id in made {
            let text = id.uuidString
            #expect(Array(text)[14] == "7" && "89AB".contains(Array(text)[19]), "\(text)")
        }
        // Written and read back without Foundation's sprintf and sscanf, in either case.
        for id in made + ids + (0..<20).map({ _ in UUID() }) {
            #expect(id.text == id.uuidString && UUID.parse(id.uuidString) == id && UUID.parse(id.uuidString.lowercased()) == id)
        }
        for bad in ["", "00000000-0000-4000-8000-0000000000F", "00000000-0000-4000-8000-0000000000FG", "00000000x0000-4000-8000-0000000000FF",
                    "00000000-0000-4000-8000-0000000000FFF", "{00000000-0000-4000-8000-0000000000F}"] {
            #expect(UUID.parse(bad) == nil, "\(bad)")
        }
        // The first 48 bits are the time in milliseconds.
        #expect(made[0].uuidString.prefix(13).replacingOccurrences(of: "-", with: "") == String(1_790_000_000_500, radix: 16, uppercase: true)
            .leftPadded(to: 12))
    }

    @Test("an empty table is an empty array")
    func empty() {
        #expect(BatchTable([("a", "text")]).json == "[]")
    }

    @Test("each row an array of its cells: text escaped, null, booleans, numbers")
    func cells() {
        var table = BatchTable([("item", "integer"), ("name", "text"), ("opts_out", "boolean"), ("at", "float8")])
        table.append([.integer(0), .text("say \"hi\""), .bool(true), .number(1.5)])
        table.append([.integer(1), .null, .bool(false), .number(2)])
        #expect(table.json == #"[[0,"say \"hi\"",true,1.5],[1,null,false,2.0]]"#)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
