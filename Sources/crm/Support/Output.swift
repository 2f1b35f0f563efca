import CRMCore
import Foundation
import Logging

/// Writes results: one JSON document on stdout with --json, text for people otherwise.
/// Notices and warnings go to stderr so that stdout stays clean for scripts.
struct Output {
    let json: Bool
    /// Notices go to the process's log instead of "crm: …" lines: a listener's stderr is its log,
    /// which may be one JSON object per line.
    var noticesAsLog = false

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.string(date))
        }
        return encoder
    }()

    /// Prints `value` as JSON with --json, else the text `human()` returns.
    func emit<T: Encodable>(_ value: T, human: () -> String) throws {
        if json {
            let data = try Self.encoder.encode(value)
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else {
            let text = human()
            if !text.isEmpty { print(text) }
        }
    }

    func table(_ table: Table) -> String {
        table.rows.isEmpty ? "" : table.render(bold: Terminal.colorsEnabled())
    }

    /// A notice on stderr ("crm: …", or a log line), never on stdout.
    func notice(_ text: String) {
        if noticesAsLog {
            Log.logger.notice("\(text)")
        } else {
            Terminal.writeError("crm: \(text)")
        }
    }
}

extension Date {
    /// "2026-11-25 13:29" in the local time zone, for tables.
    var shortDisplay: String {
        formatted(Self.shortStyle)
    }

    /// "16:11:07" in the local time zone, for status lines.
    var timeDisplay: String {
        formatted(Self.timeStyle)
    }

    private static let timeStyle = Date.VerbatimFormatStyle(
        format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
        timeZone: .current, calendar: Calendar(identifier: .gregorian)
    )

    private static let shortStyle = Date.VerbatimFormatStyle(
        format: "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
        timeZone: .current, calendar: Calendar(identifier: .gregorian)
    )
}

extension UUID {
    /// Ids are shown lowercased, as PostgreSQL prints them.
    var text: String { uuidString.lowercased() }
}
