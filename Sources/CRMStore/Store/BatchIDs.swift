import Foundation

/// Ids written and read in bulk. Foundation's `uuidString` formats through sprintf and
/// `UUID(uuidString:)` parses through sscanf: with `UUID()` (which opens /dev/urandom for every
/// id on Linux; `UUID.timeOrdered()` does not) a quarter of `crm campaigns create`'s CPU for
/// 100,000 recipients, and a few percent of the listener's.
extension UUID {
    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)

    /// Appends the id as `uuidString` writes it (upper case: the form SQLite rows hold and compare).
    func appendText(to output: inout [UInt8]) {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: 36))
        output.withUnsafeMutableBufferPointer { writeText(into: UnsafeMutableBufferPointer(rebasing: $0[start...])) }
    }

    /// The id as `uuidString` writes it, without sprintf.
    var text: String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            writeText(into: buffer)
            return 36
        }
    }

    /// The 36 characters of the text form, into the start of `buffer`.
    private func writeText(into buffer: UnsafeMutableBufferPointer<UInt8>) {
        let digits = Self.upperHexDigits
        withUnsafeBytes(of: uuid) { bytes in
            var out = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    buffer[out] = UInt8(ascii: "-")
                    out += 1
                }
                buffer[out] = digits[Int(byte >> 4)]
                buffer[out + 1] = digits[Int(byte & 0x0F)]
                out += 2
            }
        }
    }

    /// Parses the 36-character text form (either case), as `UUID(uuidString:)` does, without sscanf.
    static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { bytes -> UUID? in
            guard bytes.count == 36 else { return nil }
            var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let parsed = withUnsafeMutableBytes(of: &value) { out -> Bool in
                var index = 0
                for position in 0..<16 {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        guard bytes[index] == UInt8(ascii: "-") else { return false }
                        index += 1
                    }
                    guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else { return false }
                    out[position] = high << 4 | low
                    index += 2
                }
                return true
            }
            return parsed ? UUID(uuid: value) : nil
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
