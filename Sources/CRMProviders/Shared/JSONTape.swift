/// A JSON document checked and indexed in one pass over its bytes, for the listener's fast path
/// (`EvolutionTextMessageReader`): every value becomes a node of a flat "tape", in document order,
/// and a value is read only when asked for. Nothing is decoded into Swift values up front.
///
/// It is stricter than `JSONDecoder`, never looser: RFC 8259's grammar exactly, UTF-8 checked
/// everywhere (overlong forms, surrogates and code points past U+10FFFF refused), `\u` surrogates
/// paired, at most `maximumDepth` levels, nothing after the value. `JSONDecoder` accepts more
/// (trailing commas, leading zeros, control characters and invalid UTF-8 in strings it does not
/// decode, a byte order mark), so a document refused here is not invalid: the caller falls back
/// to `JSONDecoder`, which decides. A document accepted here is one `JSONDecoder` accepts too.
struct JSONTape {
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    struct Node {
        var kind: Kind
        /// Strings: whether a backslash occurs (the bytes need decoding).
        var escaped = false
        /// The value's bytes: a string's without its quotes, a container's from bracket to bracket.
        var start: Int
        var end: Int
        /// The index of the node after this one and everything inside it.
        var next: Int
    }

    static let maximumDepth = 64

    private(set) var nodes: [Node] = []
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    /// `nil` when the bytes are not one strictly valid JSON value (see the type's comment).
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        nodes.reserveCapacity(128)
        guard value(depth: 0) else { return nil }
        skipWhitespace()
        guard position == bytes.count else { return nil }
    }

    // MARK: Reading nodes

    /// The members of the object at `index`, as (key node, value node) pairs.
    func members(of index: Int) -> some Sequence<(key: Int, value: Int)> {
        sequence(state: index + 1) { cursor -> (key: Int, value: Int)? in
            guard cursor < nodes[index].next else { return nil }
            let pair = (key: cursor, value: cursor + 1)
            cursor = nodes[cursor + 1].next
            return pair
        }
    }

    /// The elements of the array at `index`.
    func elements(of index: Int) -> some Sequence<Int> {
        sequence(state: index + 1) { cursor -> Int? in
            guard cursor < nodes[index].next else { return nil }
            defer { cursor = nodes[cursor].next }
            return cursor
        }
    }

    /// Whether the string node at `index` is exactly `text` (compared as decoded).
    func string(at index: Int, equals text: String) -> Bool {
        let node = nodes[index]
        guard !node.escaped else { return string(at: index) == text }
        return text.utf8.elementsEqual(UnsafeBufferPointer(rebasing: bytes[node.start..<node.end]))
    }

    /// The decoded text of the string node at `index`.
    func string(at index: Int) -> String {
        let node = nodes[index]
        let raw = UnsafeBufferPointer(rebasing: bytes[node.start..<node.end])
        guard node.escaped else { return String(decoding: raw, as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var cursor = raw.startIndex
        while cursor < raw.endIndex {
            let byte = raw[cursor]
            guard byte == UInt8(ascii: "\\") else {
                decoded.append(byte)
                cursor += 1
                continue
            }
            let escape = raw[cursor + 1]
            cursor += 2
            switch escape {
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = Self.hex4(raw, at: cursor)
                cursor += 4
                if (0xD800...0xDBFF).contains(scalar) {  // checked when scanned: a low surrogate follows
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (Self.hex4(raw, at: cursor + 2) - 0xDC00)
                    cursor += 6
                }
                UTF8.encode(Unicode.Scalar(scalar)!) { decoded.append($0) }
            default: decoded.append(escape)  // " \ /
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// The bytes of the number node at `index`, as written.
    func numberText(at index: Int) -> Substring {
        let node = nodes[index]
        return Substring(decoding: UnsafeBufferPointer(rebasing: bytes[node.start..<node.end]), as: UTF8.self)
    }

    // MARK: Scanning

    private mutating func value(depth: Int) -> Bool {
        skipWhitespace()
        guard position < bytes.count, depth < Self.maximumDepth else { return false }
        switch bytes[position] {
        case UInt8(ascii: "{"): return container(.object, close: UInt8(ascii: "}"), depth: depth)
        case UInt8(ascii: "["): return container(.array, close: UInt8(ascii: "]"), depth: depth)
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "t"): return literal("true", .true)
        case UInt8(ascii: "f"): return literal("false", .false)
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    /// An object (members `"key": value`) or an array, with no trailing comma.
    private mutating func container(_ kind: Kind, close: UInt8, depth: Int) -> Bool {
        let index = nodes.count
        nodes.append(Node(kind: kind, start: position, end: position, next: index))
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == close {
            position += 1
        } else {
            while true {
                if kind == .object {
                    skipWhitespace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), string() else { return false }
                    skipWhitespace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return false }
                    position += 1
                }
                guard value(depth: depth + 1) else { return false }
                skipWhitespace()
                guard position < bytes.count else { return false }
                let byte = bytes[position]
                position += 1
                if byte == close { break }
                guard byte == UInt8(ascii: ",") else { return false }
            }
        }
        nodes[index].end = position
        nodes[index].next = nodes.count
        return true
    }

    private mutating func string() -> Bool {
        position += 1  // the opening quote
        let start = position
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                nodes.append(Node(kind: .string, escaped: escaped, start: start, end: position, next: nodes.count + 1))
                position += 1
                return true
            case UInt8(ascii: "\\"):
                escaped = true
                guard escape() else { return false }
            case 0..<0x20:
                return false
            case 0x80...:
                guard utf8Sequence() else { return false }
            default:
                position += 1
            }
        }
        return false
    }

    /// A backslash escape; a `\u` high surrogate must be followed by a `\u` low one.
    private mutating func escape() -> Bool {
        guard position + 1 < bytes.count else { return false }
        let kind = bytes[position + 1]
        position += 2
        switch kind {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return true
        case UInt8(ascii: "u"):
            guard let unit = hex4() else { return false }
            if (0xDC00...0xDFFF).contains(unit) { return false }
            guard (0xD800...0xDBFF).contains(unit) else { return true }
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
            else { return false }
            position += 2
            guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return false }
            return true
        default:
            return false
        }
    }

    private mutating func hex4() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[position..<position + 4] {
            guard let digit = Self.hexDigit(byte) else { return nil }
            value = value << 4 | digit
        }
        position += 4
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Four hex digits already checked by the scan.
    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        raw[index..<index + 4].reduce(0) { $0 << 4 | hexDigit($1)! }
    }

    /// One well-formed UTF-8 sequence of 2 to 4 bytes (Unicode's table 3-7).
    private mutating func utf8Sequence() -> Bool {
        let lead = bytes[position]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return false
        }
        guard position + length <= bytes.count, secondRange.contains(bytes[position + 1]) else { return false }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[position + offset]) { return false }
        position += length
        return true
    }

    private mutating func literal(_ word: StaticString, _ kind: Kind) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { $0.elementsEqual(bytes[position..<position + count]) }
        guard matches else { return false }
        nodes.append(Node(kind: kind, start: position, end: position + count, next: nodes.count + 1))
        position += count
        return true
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() -> Bool {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { return false }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            guard digits() > 0 else { return false }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { return false }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits() > 0 else { return false }
        }
        nodes.append(Node(kind: .number, start: start, end: position, next: nodes.count + 1))
        return true
    }

    private mutating func digits() -> Int {
        let start = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
        return position - start
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }
}
