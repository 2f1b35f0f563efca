import CRMCore
import Foundation
import SQLKit

/// The store, written once over SQLKit for SQLite and PostgreSQL. Each capability lives in its own
/// extension file (`SQLStore+Units.swift`, `SQLStore+Users.swift`, …).
package struct SQLStore: Sendable {
    let driver: any DatabaseDriver

    init(driver: any DatabaseDriver) {
        self.driver = driver
    }

    package var dialect: SQLDialectName { driver.dialect }
}

extension SQLRow {
    /// Decodes a UUID column from its text form: SQLite stores text, and postgres-nio decodes a
    /// native uuid into text too. Parsing the text directly is measurably faster than Codable's UUID
    /// decoding when listing many rows.
    func uuid(_ column: String) throws -> UUID {
        guard let id = UUID.parse(try decode(column: column, as: String.self)) else {
            throw CRMError(.internal, "A stored id is not a UUID: the database may be damaged.")
        }
        return id
    }

    /// Decodes a column that may be NULL.
    func optional<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        try decodeNil(column: column) ? nil : decode(column: column, as: T.self)
    }
}
