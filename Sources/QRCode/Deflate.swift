/// A small DEFLATE compressor (RFC 1951) tuned for PNG scanlines of a QR
/// code: a single block with the fixed Huffman codes, and back-references
/// only to the previous scanline (rows repeat `scale` times) and to the
/// previous byte (runs of white or black). That finds nearly all the
/// redundancy of a scaled bitmap with no hash tables.
enum Deflate {
    /// A zlib stream (RFC 1950): header, deflate data, Adler-32 of `data`.
    static func zlib(_ data: [UInt8], rowLength: Int) -> [UInt8] {
        // CMF 0x78: deflate with a 32 KiB window; FLG 0x01 makes the header
        // a multiple of 31, with no preset dictionary.
        var out: [UInt8] = [0x78, 0x01]
        let compressed = compress(data, rowLength: rowLength)
        // Fixed Huffman codes spend 9 bits on bytes ≥ 144, so data with
        // little repetition (scale 1) is smaller left uncompressed.
        let stored = storedBlocks(data)
        out += compressed.count <= stored.count ? compressed : stored
        let adler = Checksum.adler32(data)
        out += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: adler >> $0) }
        return out
    }

    /// `data` as stored (uncompressed) deflate blocks of up to 65,535 bytes:
    /// a byte with BFINAL and BTYPE 00, then LEN and its complement NLEN,
    /// little-endian (RFC 1951 §3.2.4).
    static func storedBlocks(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        repeat {
            let length = min(65535, data.count - start)
            let isLast = start + length == data.count
            out.append(isLast ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[start..<start + length]
            start += length
        } while start < data.count
        return out
    }

    /// Raw deflate data for `data`, whose rows are `rowLength` bytes long.
    static func compress(_ data: [UInt8], rowLength: Int) -> [UInt8] {
        var writer = BitWriter()
        writer.write(1, bits: 1) // BFINAL: the only block
        writer.write(1, bits: 2) // BTYPE 01: fixed Huffman codes
        let distances = [rowLength, 1].filter { $0 <= 32768 }
        var index = 0
        while index < data.count {
            var bestLength = 0, bestDistance = 0
            let longest = min(258, data.count - index)
            for distance in distances where distance <= index {
                var length = 0
                while length < longest && data[index + length] == data[index + length - distance] { length += 1 }
                if length > bestLength { (bestLength, bestDistance) = (length, distance) }
            }
            if bestLength >= 3 {
                writer.writeLength(bestLength)
                writer.writeDistance(bestDistance)
                index += bestLength
            } else {
                writer.writeLiteral(Int(data[index]))
                index += 1
            }
        }
        writer.writeLiteral(256) // end of block
        return writer.finish()
    }

    /// Writes bits least significant first, as deflate packs them; Huffman
    /// codes go in most significant bit first (RFC 1951 §3.1.1).
    struct BitWriter {
        private var bytes: [UInt8] = []
        private var pending: UInt64 = 0
        private var pendingCount = 0

        mutating func write(_ value: Int, bits: Int) {
            pending |= UInt64(value) << UInt64(pendingCount)
            pendingCount += bits
            while pendingCount >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: pending))
                pending >>= 8
                pendingCount -= 8
            }
        }

        mutating func writeCode(_ code: Int, length: Int) {
            var reversed = 0
            for bit in 0..<length { reversed |= ((code >> bit) & 1) << (length - 1 - bit) }
            write(reversed, bits: length)
        }

        /// A literal byte (0–255), the end-of-block marker (256) or a length
        /// symbol (257–285), in the fixed literal/length code (§3.2.6).
        mutating func writeLiteral(_ symbol: Int) {
            switch symbol {
            case 0...143: writeCode(0x30 + symbol, length: 8)
            case 144...255: writeCode(0x190 + symbol - 144, length: 9)
            case 256...279: writeCode(symbol - 256, length: 7)
            default: writeCode(0xC0 + symbol - 280, length: 8)
            }
        }

        /// A match length 3…258: symbol 257 + i and its extra bits (§3.2.5).
        mutating func writeLength(_ length: Int) {
            let index = Deflate.lengthBases.lastIndex { $0 <= length }!
            writeLiteral(257 + index)
            let extra = Deflate.lengthExtraBits[index]
            if extra > 0 { write(length - Deflate.lengthBases[index], bits: extra) }
        }

        /// A match distance 1…32768: 5-bit code and its extra bits.
        mutating func writeDistance(_ distance: Int) {
            let code = Deflate.distanceBases.lastIndex { $0 <= distance }!
            writeCode(code, length: 5)
            let extra = Deflate.distanceExtraBits[code]
            if extra > 0 { write(distance - Deflate.distanceBases[code], bits: extra) }
        }

        mutating func finish() -> [UInt8] {
            if pendingCount > 0 { bytes.append(UInt8(truncatingIfNeeded: pending)) }
            pending = 0
            pendingCount = 0
            return bytes
        }
    }

    // Length symbols 257–285 and distance codes 0–29 (RFC 1951 §3.2.5).
    static let lengthBases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                              35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtraBits = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                  3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBases = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
                                8193, 12289, 16385, 24577]
    static let distanceExtraBits = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
}
