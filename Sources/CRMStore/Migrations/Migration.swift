import CRMCore
import Foundation

/// One SQL file of db/, as the EmbedMigrations plugin copied it into the binary.
struct EmbeddedMigrationFile: Sendable {
    let dialect: String
    let fileName: String
    let sql: String
}

/// A numbered schema change: `db/<dialect>/NNNN_name.sql`.
package struct Migration: Sendable, Equatable {
    package let version: Int
    package let name: String
    package let sql: String

    /// A digest of the SQL, recorded when applied: `crm db status` flags a file changed after it ran.
    package var checksum: String { FNV1a.hex(sql) }

    /// The file's name without `.sql`, as messages name a migration: `0013_validate_unit_consistent_references`.
    package var label: String { "\(String(version).leftPadded(to: 4))_\(name)" }
}

/// The migrations shipped in this binary.
package enum EmbeddedMigrations {
    package static func migrations(for dialect: SQLDialectName) -> [Migration] {
        files.filter { $0.dialect == dialect.rawValue }.compactMap { file in
            let stem = file.fileName.dropLast(".sql".count)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else { return nil }
            return Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: file.sql)
        }.sorted { $0.version < $1.version }
    }
}

/// 64-bit FNV-1a: a stable digest with no dependency, enough to notice an edited file.
enum FNV1a {
    static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
