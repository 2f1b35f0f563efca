@testable import CRMProviders
import Foundation
import Testing

/// `JSONTape` accepts only strict JSON (RFC 8259, valid UTF-8): whatever it accepts, `JSONDecoder`
/// must accept too, or the listener's fast path would take a body the decoder refuses.
@Suite("JSONTape")
struct JSONTapeTests {
    static func tape(_ bytes: [UInt8]) -> JSONTape? {
        bytes.withUnsafeBufferPointer { JSONTape($0) }
    }

    static func decoderAccepts(_ bytes: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            && (try? JSONDecoder().decode(JSONValueProbe.self, from: Data(bytes))) != nil
    }

    /// Decodes any JSON value, every string included, so that the decoder checks all of them.
    struct JSONValueProbe: Decodable {
        init(from decoder: any Decoder) throws {
            if var array = try? decoder.unkeyedContainer() {
                while !array.isAtEnd { _ = try array.decode(JSONValueProbe.self) }
            } else if let object = try? decoder.container(keyedBy: AnyKey.self) {
                for key in object.allKeys { _ = try object.decode(JSONValueProbe.self, forKey: key) }
            } else {
                let single = try decoder.singleValueContainer()
                if single.decodeNil() { return }
                if (try? single.decode(Bool.self)) != nil { return }
                if (try? single.decode(Double.self)) != nil { return }
                _ = try single.decode(String.self)
            }
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    @Test("Accepts strict JSON, which the decoder accepts too", arguments: [
        #"{}"#, #"[]"#, #" {"a" : [1, -0, 0.5, 1e10, -2.5E-3, true, false, null, "x"]} "#, #""\u00e9\ud83d\ude00""#,
        #"{"a":{"b":{"c":[[],{}]}}}"#, "\"olá ☕ 😀\"", #""\"\\\/\b\f\n\r\t""#, "0", "-1",
    ])
    func accepts(json: String) {
        let bytes = Array(json.utf8)
        #expect(Self.tape(bytes) != nil, "\(json)")
        #expect(Self.decoderAccepts(bytes), "\(json)")
    }

    @Test("Refuses whatever is not strict JSON", arguments: [
        #"{"a":1,}"#, #"[1,]"#, #"01"#, #"1."#, #".5"#, #"1e"#, #"+1"#, #"-"#, #"NaN"#, #"{"a" 1}"#, #"{a:1}"#,
        #"'x'"#, #""\x""#, #""\u12""#, #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, "\"\u{01}\"", "{} {}", "",
        " ", "[", "{\"a\":", "tru", "nul", "\u{FEFF}{}",
    ])
    func refuses(json: String) {
        #expect(Self.tape(Array(json.utf8)) == nil, "\(json)")
    }

    @Test("Refuses invalid UTF-8 in strings and any byte outside them", arguments: [
        [0xC3, 0x28], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8], [0xFF], [0xE2, 0x82],
    ] as [[UInt8]])
    func refusesInvalidUTF8(sequence: [UInt8]) {
        #expect(Self.tape([UInt8(ascii: "\"")] + sequence + [UInt8(ascii: "\"")]) == nil)
        #expect(Self.tape(sequence) == nil)
    }

    @Test("Nesting deeper than the limit is refused, at the limit accepted")
    func depth() {
        let limit = JSONTape.maximumDepth
        let atLimit = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        let beyond = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(Self.tape(Array(atLimit.utf8)) != nil)
        #expect(Self.tape(Array(beyond.utf8)) == nil)
    }

    @Test("Members, elements and strings read back as written")
    func reading() throws {
        let bytes = Array(#"{"a":"x\n\"y\" \u00e9\ud83d\ude00","b":[1,{"c":null},"d"],"\u0065":2.5e3}"#.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            let tape = try #require(JSONTape(buffer))
            let members = Array(tape.members(of: 0))
            #expect(members.count == 3)
            #expect(tape.string(at: members[0].key) == "a")
            #expect(tape.string(at: members[0].value) == "x\n\"y\" é😀")
            #expect(tape.string(at: members[2].key, equals: "e"))
            #expect(tape.numberText(at: members[2].value) == "2.5e3")
            let elements = Array(tape.elements(of: members[1].value))
            #expect(elements.map { tape.nodes[$0].kind } == [.number, .object, .string])
            #expect(tape.string(at: elements[2]) == "d")
            let inner = Array(tape.members(of: elements[1]))
            #expect(inner.count == 1 && tape.nodes[inner[0].value].kind == .null)
        }
    }
}
