/// JSON written by hand where Foundation's encoders cost too much: the rows of a batch statement
/// (JSONSerialization took a quarter of the listener's CPU) and the listener's answer to each
/// webhook (a JSONEncoder per request).
package enum JSONText {
    /// Appends `value` as a JSON string literal: quotes, backslashes and control characters escaped.
    /// Works on the UTF-8 bytes (every byte to escape is ASCII, so the runs between them are whole
    /// scalars) and appends each run as a substring: appending through `output.unicodeScalars`
    /// copied the whole output on every call, which made a batch of 5,000 rows quadratic.
    package static func appendString(_ value: String, to output: inout String) {
        output += "\""
        let bytes = value.utf8
        var plainStart = bytes.startIndex
        var index = plainStart
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                output.append(contentsOf: value[plainStart..<index])
                switch byte {
                case UInt8(ascii: "\""): output += "\\\""
                case UInt8(ascii: "\\"): output += "\\\\"
                case UInt8(ascii: "\n"): output += "\\n"
                case UInt8(ascii: "\r"): output += "\\r"
                case UInt8(ascii: "\t"): output += "\\t"
                default: output += "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
                }
                plainStart = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        output.append(contentsOf: value[plainStart..<bytes.endIndex])
        output += "\""
    }

    /// A JSON object of strings, keys sorted (as JSONEncoder's `.sortedKeys` writes them).
    package static func object(_ values: [String: String]) -> String {
        var output = "{"
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { output += "," }
            appendString(key, to: &output)
            output += ":"
            appendString(values[key]!, to: &output)
        }
        return output + "}"
    }
}
