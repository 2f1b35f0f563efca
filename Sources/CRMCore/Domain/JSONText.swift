/// JSON written by hand where Foundation's encoders cost too much: the rows of a batch statement
/// (JSONSerialization took a quarter of the listener's CPU) and the listener's answer to each
/// webhook (a JSONEncoder per request).
package enum JSONText {
    /// Appends `value` as a JSON string literal: quotes, backslashes and control characters escaped.
    /// Works on the UTF-8 bytes (every byte to escape is ASCII, so the runs between them are whole
    /// scalars) and copies each run at once: a webhook body, the bulk of a listener batch, is JSON
    /// whose every quote is escaped, and appending its runs to a String one substring at a time was
    /// a twentieth of the listener's CPU.
    package static func appendString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
                case UInt8(ascii: "\n"): output.append(contentsOf: #"\n"#.utf8)
                case UInt8(ascii: "\r"): output.append(contentsOf: #"\r"#.utf8)
                case UInt8(ascii: "\t"): output.append(contentsOf: #"\t"#.utf8)
                default: output.append(contentsOf: #"\u00"#.utf8 + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
                }
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The same, onto a String.
    package static func appendString(_ value: String, to output: inout String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 2)
        appendString(value, to: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

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
