/// The encodation modes we use (ISO 18004 §7.3, §7.4). The whole payload is
/// one segment in one mode: the densest mode whose character set covers it.
enum Mode: Sendable, Equatable {
    /// Digits 0–9, 3 digits in 10 bits.
    case numeric
    /// 0–9, A–Z, space and $%*+-./: — 2 characters in 11 bits.
    case alphanumeric
    /// Any bytes, 8 bits each (we put UTF-8 here, without an ECI header).
    case byte

    /// The 4-bit mode indicator (ISO Table 2).
    var indicator: UInt32 {
        switch self {
        case .numeric: 0b0001
        case .alphanumeric: 0b0010
        case .byte: 0b0100
        }
    }

    /// Width of the character count indicator (ISO Table 3); it grows at
    /// versions 10 and 27.
    func countBits(version: Int) -> Int {
        let band = version <= 9 ? 0 : (version <= 26 ? 1 : 2)
        switch self {
        case .numeric: return [10, 12, 14][band]
        case .alphanumeric: return [9, 11, 13][band]
        case .byte: return [8, 16, 16][band]
        }
    }

    /// Bits taken by `count` characters of data (without header).
    func dataBits(count: Int) -> Int {
        switch self {
        case .numeric: count / 3 * 10 + [0, 4, 7][count % 3]
        case .alphanumeric: count / 2 * 11 + count % 2 * 6
        case .byte: count * 8
        }
    }

    /// What one character is called in error messages.
    var unit: String {
        switch self {
        case .numeric: "digits"
        case .alphanumeric: "characters"
        case .byte: "bytes"
        }
    }

    /// The densest mode that can encode all of `bytes`. Empty data goes in
    /// byte mode.
    static func densest(for bytes: [UInt8]) -> Mode {
        if bytes.isEmpty { return .byte }
        var numeric = true
        for byte in bytes {
            if byte >= 0x80 || alphanumericValues[Int(byte)] < 0 { return .byte }
            if byte < 0x30 || byte > 0x39 { numeric = false }
        }
        return numeric ? .numeric : .alphanumeric
    }
}

extension Mode {
    /// Whether every byte is in this mode's character set.
    func canEncode(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .byte: true
        case .alphanumeric: bytes.allSatisfy { $0 < 0x80 && alphanumericValues[Int($0)] >= 0 }
        case .numeric: bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
    }
}

/// Value of each ASCII character in the alphanumeric set (ISO Table 5), or -1.
let alphanumericValues: [Int8] = {
    var table = [Int8](repeating: -1, count: 128)
    for (value, scalar) in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".unicodeScalars.enumerated() {
        table[Int(scalar.value)] = Int8(value)
    }
    return table
}()

/// A run of payload bytes encoded in one mode.
struct Segment: Sendable {
    let mode: Mode
    let bytes: [UInt8]

    init(bytes: [UInt8], mode: Mode? = nil) {
        let chosen = mode ?? Mode.densest(for: bytes)
        precondition(chosen.canEncode(bytes), "payload has characters outside the \(chosen) set")
        self.mode = chosen
        self.bytes = bytes
    }

    /// Total bits (mode indicator, count, data) in `version`, or nil when the
    /// length overflows that version's character count field.
    func bitLength(version: Int) -> Int? {
        let countBits = mode.countBits(version: version)
        guard bytes.count < 1 << countBits else { return nil }
        return 4 + countBits + mode.dataBits(count: bytes.count)
    }

    /// Appends mode indicator, character count and data bits (ISO §7.4.3–7.4.5).
    func append(to buffer: inout BitBuffer, version: Int) {
        buffer.append(mode.indicator, bits: 4)
        buffer.append(UInt32(bytes.count), bits: mode.countBits(version: version))
        switch mode {
        case .numeric:
            // Groups of three digits as a 10-bit number; a final group of
            // two takes 7 bits, of one 4 bits.
            var index = 0
            while index < bytes.count {
                let take = min(3, bytes.count - index)
                var value: UInt32 = 0
                for offset in 0..<take { value = value * 10 + UInt32(bytes[index + offset] - 0x30) }
                buffer.append(value, bits: take * 3 + 1)
                index += take
            }
        case .alphanumeric:
            // Pairs as 45 × first + second in 11 bits; a last single in 6.
            var index = 0
            while index + 1 < bytes.count {
                let first = UInt32(alphanumericValues[Int(bytes[index])])
                let second = UInt32(alphanumericValues[Int(bytes[index + 1])])
                buffer.append(first * 45 + second, bits: 11)
                index += 2
            }
            if index < bytes.count {
                buffer.append(UInt32(alphanumericValues[Int(bytes[index])]), bits: 6)
            }
        case .byte:
            buffer.append(bytes: bytes)
        }
    }
}
