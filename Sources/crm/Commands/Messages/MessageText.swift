import CRMCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How messages look to people: a table fitted to the terminal (`messages list`), one line each
/// (`messages tail`), and the compact JSON line `tail --json` prints.
enum MessageText {
    /// The body gets what the other columns leave of the terminal, never less than this.
    static let narrowestBody = 20
    /// Without a terminal (and without $COLUMNS) nothing wraps; bodies are still cut here.
    static let widestBody = 100
    static let widestContact = 32

    static func table(_ records: [MessageRecord], output: Output) -> String {
        var table = Table("TIME", "DIR", "CONTACT", "STATUS", "TYPE", "BODY", "ID")
        table.maxCellWidth = .max  // cut here, column by column
        let fixed = records.map { record in
            [
                record.message.createdAt.secondsDisplay, direction(record.message.direction),
                TextWidth.truncate(flat(record.contact.display), to: widestContact), record.message.state.rawValue,
                record.message.kind.rawValue,
            ]
        }
        var used = 0
        for column in 0..<5 {
            used += fixed.map { TextWidth.columns($0[column]) }.reduce(TextWidth.columns(table.headers[column]), max)
        }
        used += TextWidth.columns(UUID().text) + 2 * (table.headers.count - 1)
        let bodyWidth = self.bodyWidth(leftOver: Terminal.columns(of: STDOUT_FILENO), used: used)
        for (record, cells) in zip(records, fixed) {
            table.rows.append(cells + [TextWidth.truncate(body(record.message), to: bodyWidth), record.message.id.text])
        }
        return output.table(table)
    }

    /// "2026-11-25 13:29:07  in   +5511998765432 Maria Silva  received  text  Olá, tudo bem?"
    static func line(_ record: MessageRecord) -> String {
        let message = record.message
        // Padded to common widths: lines printed one by one still mostly line up.
        let head = [
            message.createdAt.secondsDisplay, TextWidth.pad(direction(message.direction), to: 3),
            TextWidth.pad(TextWidth.truncate(flat(record.contact.display), to: widestContact), to: 28),
            TextWidth.pad(message.state.rawValue, to: 9), TextWidth.pad(message.kind.rawValue, to: 5),
        ].joined(separator: "  ")
        let used = TextWidth.columns(head) + 2
        return head + "  " + TextWidth.truncate(body(message), to: bodyWidth(leftOver: Terminal.columns(of: STDOUT_FILENO), used: used))
    }

    /// One compact JSON object, for `tail --json` (one per line).
    static func jsonLine(_ record: MessageRecord) throws -> String {
        String(decoding: try lineEncoder.encode(MessageView(record)), as: UTF8.self)
    }

    static func direction(_ direction: MessageDirection) -> String {
        direction == .inbound ? "in" : "out"
    }

    /// The text on one line, or the kind in brackets when there is none ("[image]").
    static func body(_ message: Message) -> String {
        guard let body = message.body, !body.isEmpty else { return "[\(message.kind.rawValue)]" }
        return flat(body)
    }

    private static func bodyWidth(leftOver columns: Int, used: Int) -> Int {
        columns == .max ? widestBody : max(narrowestBody, columns - used)
    }

    /// Newlines and other control characters as spaces: a message must stay on its row.
    static func flat(_ text: String) -> String {
        printable(text, keepingNewlines: false)
    }

    /// Control characters as spaces: text from WhatsApp (bodies, profile names) must not drive the
    /// operator's terminal with escape sequences.
    static func printable(_ text: String, keepingNewlines: Bool) -> String {
        String(text.map { character in
            if keepingNewlines, character == "\n" || character == "\r\n" { return "\n" }
            return character.unicodeScalars.first?.properties.generalCategory == .control ? " " : character
        })
    }

    private static let lineEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = Output.encoder.dateEncodingStrategy
        return encoder
    }()
}
