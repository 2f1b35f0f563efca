import Foundation
import Logging
import Testing

@testable import crm

/// The log line handlers write the lines swift-log's StreamLogHandler and a JSONEncoder wrote
/// before, built by hand: the same fields, in the same order, escaped the same way.
@Suite("Log lines")
struct LogLineHandlerTests {
    struct Refused: Error {
        let detail = "postgres://crm:pw-secret@db/crm"
    }

    func event(metadata: Logger.Metadata?, error: (any Error)? = nil) -> LogEvent {
        LogEvent(
            level: .info, message: "request", error: error, metadata: metadata, source: "CRMServer",
            file: #fileID, function: #function, line: #line
        )
    }

    @Test("text: timestamp, level, label, metadata sorted with the event's over the handler's, source, message")
    func text() throws {
        var handler = LogLineHandler(label: "crm", logLevel: .info, format: .text)
        handler[metadataKey: "hb.request.id"] = "7"
        handler[metadataKey: "status"] = "000"
        let line = String(decoding: handler.line(for: event(metadata: [
            "status": "200", "path": "/webhooks/whatsapp/evolution/****", "method": "POST", "ms": "1.5",
            "list": .array(["a", "b"]),
        ])), as: UTF8.self)
        let expected = try #require(line.firstMatch(of: /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}) (.*)\n$/))
        #expect(expected.2 == #"info crm: hb.request.id=7 list=["a", "b"] method=POST ms=1.5 path=/webhooks/whatsapp/evolution/**** status=200 [CRMServer] request"#)
    }

    @Test("an error passed to the logger adds its type, never its text")
    func errorType() {
        let handler = LogLineHandler(label: "crm", logLevel: .info, format: .text)
        let line = String(decoding: handler.line(for: event(metadata: nil, error: Refused())), as: UTF8.self)
        #expect(line.contains("error.type=CLITests.LogLineHandlerTests.Refused"), "\(line)")
        #expect(!line.contains("pw-secret"))
    }

    @Test("JSON: one object, keys sorted, values escaped; metadata cannot replace the line's own fields")
    func json() throws {
        var handler = LogLineHandler(label: "crm", logLevel: .info, format: .json)
        handler[metadataKey: "unit"] = "loja"
        let bytes = handler.line(for: event(metadata: ["message": "spoofed", "name": "Zé \"Q\"\n\u{01}", "count": "3"]))
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(bytes.dropLast().contains(UInt8(ascii: "\n")) == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: String])
        #expect(object["message"] == "request")
        #expect(object["name"] == "Zé \"Q\"\n\u{01}")
        #expect(object["unit"] == "loja" && object["count"] == "3" && object["level"] == "info" && object["label"] == "crm")
        #expect(object["time"]?.hasSuffix("Z") == true)
        let text = String(decoding: bytes, as: UTF8.self)
        let keys = ["count", "label", "level", "message", "name", "time", "unit"].map { "\"\($0)\":" }
        let positions = keys.compactMap { text.range(of: $0)?.lowerBound }
        #expect(positions.count == keys.count && positions == positions.sorted(), "\(text)")
    }
}
