import Foundation

/// A JSON value whose objects keep their key order, written compactly. Trigger bodies list
/// their fields in the order each provider writes them, which `JSONSerialization` would sort
/// or shuffle (and it escapes `/` as `\/`, which no provider does).
indirect enum TriggerJSON: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([TriggerJSON])
    case object([Field])

    struct Field: Sendable, Hashable {
        var key: String
        var value: TriggerJSON
    }

    /// Compact JSON (no spaces or newlines), UTF-8.
    var data: Data { Data(text.utf8) }

    var text: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .string(let string): Self.writeString(string, to: &output)
        case .int(let int): output += String(int)
        case .bool(let bool): output += bool ? "true" : "false"
        case .null: output += "null"
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                item.write(to: &output)
            }
            output += "]"
        case .object(let fields):
            output += "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(field.key, to: &output)
                output += ":"
                field.value.write(to: &output)
            }
            output += "}"
        }
    }

    /// Escapes what JSON requires (quote, backslash, control characters) and nothing else:
    /// non-ASCII text stays as UTF-8, as the providers send it.
    private static func writeString(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}

extension TriggerJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(nilLiteral: ()) { self = .null }
    init(arrayLiteral elements: TriggerJSON...) { self = .array(elements) }
    /// Dictionary literals keep their written order.
    init(dictionaryLiteral elements: (String, TriggerJSON)...) {
        self = .object(elements.map { Field(key: $0.0, value: $0.1) })
    }

    /// A string, or `null` when absent.
    static func optional(_ value: String?) -> TriggerJSON {
        value.map(TriggerJSON.string) ?? .null
    }
}
