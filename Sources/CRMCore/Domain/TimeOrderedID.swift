import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ids that do not cost a file open each (Foundation's `UUID()` reads /dev/urandom per id on Linux).
extension UUID {
    /// A new version 7 id (RFC 9562): the time in milliseconds, then 74 random bits from the
    /// system's generator. Ids made one after another sort after one another, so that a bulk
    /// insert appends to the primary key's index instead of writing all over it.
    package static func timeOrdered(at date: Date = Date()) -> UUID {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1_000))
        let (high, low) = RandomBits.shared.next()
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &value) { bytes in
            bytes.storeBytes(of: (milliseconds << 16 | high & 0x0FFF | 0x7000).bigEndian, toByteOffset: 0, as: UInt64.self)  // version 7
            bytes.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            bytes[8] = bytes[8] & 0x3F | 0x80  // variant 10
        }
        return UUID(uuid: value)
    }
}

/// Random bits from the system's generator, fetched 4 KiB at a time: one system call for 256 ids
/// instead of two per id.
package final class RandomBits: Sendable {
    package static let shared = RandomBits()

    private struct Buffer {
        var words = [UInt64](repeating: 0, count: 512)
        var next = 512
    }

    private let buffer = Mutex(Buffer())

    /// Two random 64-bit words.
    package func next() -> (UInt64, UInt64) {
        buffer.withLock { buffer in
            if buffer.next + 2 > buffer.words.count {
                buffer.words.withUnsafeMutableBytes { bytes in
                    #if canImport(Glibc)
                    arc4random_buf(bytes.baseAddress!, bytes.count)  // glibc: getrandom, whole
                    #else
                    var generator = SystemRandomNumberGenerator()
                    for index in 0..<(bytes.count / 8) { bytes.storeBytes(of: generator.next() as UInt64, toByteOffset: index * 8, as: UInt64.self) }
                    #endif
                }
                buffer.next = 0
            }
            defer { buffer.next += 2 }
            return (buffer.words[buffer.next], buffer.words[buffer.next + 1])
        }
    }
}
