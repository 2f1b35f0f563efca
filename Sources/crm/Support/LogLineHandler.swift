import CRMCore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes each log line as text or as one JSON object per line (`Log.Format`).
///
/// The listener logs a line per request, so a line's cost counts: swift-log's StreamLogHandler
/// merged and sorted the metadata through several dictionaries and strings (2 % of the listener's
/// CPU under load), and the JSON form went through a JSONEncoder per line. This handler writes the
/// same lines from one pass over the metadata, as UTF-8 bytes, with one write(2) each.
struct LogLineHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    let format: Log.Format
    var metadata: Logger.Metadata = [:]

    init(label: String, logLevel: Logger.Level, format: Log.Format) {
        self.label = label
        self.logLevel = logLevel
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        LogLine.writeToStandardError(line(for: event))
    }

    func line(for event: LogEvent) -> [UInt8] {
        switch format {
        case .text: textLine(for: event)
        case .json: jsonLine(for: event)
        }
    }

    /// `2026-11-27T02:31:41+0000 info crm: client=127.0.0.1 method=POST … [CRMServer] request`: the
    /// line StreamLogHandler writes (local time, metadata sorted by key, then the source).
    private func textLine(for event: LogEvent) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line += LogLine.localTimestamp().utf8
        line.append(UInt8(ascii: " "))
        line += event.level.rawValue.utf8
        if !label.isEmpty { line.append(UInt8(ascii: " ")); line += label.utf8 }
        line.append(UInt8(ascii: ":"))
        for (key, value) in LogLine.sortedMetadata(metadata, event) {
            line.append(UInt8(ascii: " "))
            line += key.utf8
            line.append(UInt8(ascii: "="))
            line += LogLine.text(value).utf8
        }
        line += " [".utf8
        line += event.source.utf8
        line += "] ".utf8
        line += event.message.description.utf8
        line.append(UInt8(ascii: "\n"))
        return line
    }

    /// One JSON object: `time`, `level`, `label`, `message` and the metadata, keys sorted.
    private func jsonLine(for event: LogEvent) -> [UInt8] {
        var fields = LogLine.sortedMetadata(metadata, event).map { ($0.key, LogLine.text($0.value)) }
        fields.removeAll { ["time", "level", "label", "message"].contains($0.0) }
        fields += [
            ("time", ISO8601.string(Date())), ("level", event.level.rawValue), ("label", label),
            ("message", event.message.description),
        ]
        fields.sort { $0.0 < $1.0 }
        var line: [UInt8] = [UInt8(ascii: "{")]
        line.reserveCapacity(320)
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            JSONText.appendString(key, to: &line)
            line.append(UInt8(ascii: ":"))
            JSONText.appendString(value, to: &line)
        }
        line += "}\n".utf8
        return line
    }
}

enum LogLine {
    /// The handler's metadata with the event's over it, sorted by key (an array, not a merged
    /// Dictionary: merging was a quarter of a line's cost). An error passed to the logger adds
    /// its type only: its text may hold what a log must not (a query, an address with a password).
    static func sortedMetadata(_ base: Logger.Metadata, _ event: LogEvent) -> [(key: String, value: Logger.MetadataValue)] {
        let explicit = event.metadata
        var pairs: [(key: String, value: Logger.MetadataValue)] = []
        pairs.reserveCapacity(base.count + (explicit?.count ?? 0) + 1)
        for entry in base where explicit?[entry.key] == nil { pairs.append(entry) }
        if let explicit { for entry in explicit { pairs.append(entry) } }
        if let error = event.error { pairs.append((key: "error.type", value: .string(String(reflecting: type(of: error))))) }
        pairs.sort { $0.key < $1.key }
        return pairs
    }

    /// A metadata value's text: a string as it is, anything else as swift-log describes it.
    static func text(_ value: Logger.MetadataValue) -> String {
        if case .string(let string) = value { return string }
        return value.description
    }

    /// "2026-11-27T02:31:41+0000" in local time, as StreamLogHandler writes it.
    static func localTimestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [Int8](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The whole line in one write(2), so that lines from several threads never interleave; a
    /// short write is finished, and a line that cannot be written is dropped (as stdio would).
    static func writeToStandardError(_ line: [UInt8]) {
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
