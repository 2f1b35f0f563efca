import CRMCore
import Foundation
import SQLKit

/// Many rows passed to one statement as a single parameter: a JSON array of arrays, read back as
/// a table `s` (`jsonb_array_elements` on PostgreSQL, `json_each` on SQLite). The JSON is written
/// by hand: Foundation's JSONSerialization took a quarter of the listener's CPU under load.
struct BatchTable {
    enum Cell {
        case text(String)
        /// Written as `uuidString` writes it, without formatting a string first.
        case id(UUID)
        case number(Double)
        case integer(Int)
        case bool(Bool)
        case null
        /// A JSON value encoded beforehand (`preEncoded(_:)`), written as it is.
        case encoded([UInt8])

        static func text(_ value: String?) -> Cell { value.map(Cell.text) ?? .null }

        /// The cell's JSON, for rows encoded ahead of the statement that takes them.
        static func preEncoded(_ cell: Cell) -> Cell {
            var output: [UInt8] = []
            BatchTable.append(cell, to: &output)
            return .encoded(output)
        }
    }

    /// Column names and their PostgreSQL types (`uuid`, `text`, `float8`), in row order.
    let columns: [(name: String, type: String)]
    private(set) var rows: [[Cell]] = []

    init(_ columns: [(name: String, type: String)]) {
        self.columns = columns
    }

    var isEmpty: Bool { encodedJSON.map { $0 == "[]" } ?? rows.isEmpty }

    mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "a batch row has \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    /// The table as a FROM item named `s`.
    func source(_ dialect: SQLDialectName) -> SQLQueryString {
        switch dialect {
        case .postgres:
            let selections = columns.enumerated().map { index, column in
                column.type == "text" ? "e->>\(index) AS \(column.name)" : "(e->>\(index))::\(column.type) AS \(column.name)"
            }.joined(separator: ", ")
            return "(SELECT \(unsafeRaw: selections) FROM jsonb_array_elements(\(bind: json)::jsonb) AS e) AS s"
        case .sqlite:
            let selections = columns.enumerated().map { index, column in
                "json_extract(value, '$[\(index)]') AS \(column.name)"
            }.joined(separator: ", ")
            return "(SELECT \(unsafeRaw: selections) FROM json_each(\(bind: json))) AS s"
        }
    }

    /// The rows as a JSON array of arrays (what `source` reads).
    var json: String {
        encodedJSON ?? String(decoding: written(), as: UTF8.self)
    }

    /// Written as UTF-8 bytes and made a String once.
    private func written() -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "[")]
        output.reserveCapacity(rows.count * columns.count * 24)
        for (rowIndex, row) in rows.enumerated() {
            if rowIndex > 0 { output.append(UInt8(ascii: ",")) }
            output.append(UInt8(ascii: "["))
            for (cellIndex, cell) in row.enumerated() {
                if cellIndex > 0 { output.append(UInt8(ascii: ",")) }
                Self.append(cell, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
        output.append(UInt8(ascii: "]"))
        return output
    }

    /// The JSON made once, now (on the caller's task), for a statement that comes later.
    private var encodedJSON: String?

    /// Encodes the rows now: `source` then only binds the text. Rows appended later are not taken.
    mutating func encode() {
        encodedJSON = json
        rows = []
    }

    static func append(_ cell: Cell, to output: inout [UInt8]) {
        switch cell {
        case .null: output += "null".utf8
        case .number(let value): output += (value.isFinite ? "\(value)" : "null").utf8
        case .integer(let value): output += String(value).utf8
        case .bool(let value): output += (value ? "true" : "false").utf8
        case .text(let value): JSONText.appendString(value, to: &output)
        case .id(let value):
            output.append(UInt8(ascii: "\""))
            value.appendText(to: &output)
            output.append(UInt8(ascii: "\""))
        case .encoded(let value): output += value
        }
    }
}
