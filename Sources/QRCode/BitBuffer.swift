/// An append-only sequence of bits, most significant bit first, packed into
/// bytes — the form QR data codewords take (ISO 18004 §7.4).
struct BitBuffer {
    private(set) var bytes: [UInt8]
    /// Bits not yet flushed to `bytes`, right-aligned (fewer than 8 between calls).
    private var pending: UInt64 = 0
    private var pendingCount = 0

    init(capacityInBytes: Int) {
        bytes = []
        bytes.reserveCapacity(capacityInBytes)
    }

    /// Number of bits appended so far.
    var count: Int { bytes.count * 8 + pendingCount }

    /// Appends the low `bits` bits of `value` (0…32 bits), high bit first.
    mutating func append(_ value: UInt32, bits: Int) {
        precondition(bits >= 0 && bits <= 32 && (bits == 32 || value >> UInt32(bits) == 0),
                     "value does not fit in \(bits) bits")
        pending = (pending << UInt64(bits)) | UInt64(value)
        pendingCount += bits
        while pendingCount >= 8 {
            pendingCount -= 8
            bytes.append(UInt8(truncatingIfNeeded: pending >> UInt64(pendingCount)))
        }
        pending &= (1 << UInt64(pendingCount)) - 1
    }

    /// Appends whole bytes; fast when the buffer is byte-aligned.
    mutating func append(bytes newBytes: some Collection<UInt8>) {
        if pendingCount == 0 {
            bytes.append(contentsOf: newBytes)
        } else {
            for byte in newBytes { append(UInt32(byte), bits: 8) }
        }
    }

    /// Pads with zero bits up to the next byte boundary.
    mutating func padToByte() {
        if pendingCount > 0 { append(0, bits: 8 - pendingCount) }
    }
}
