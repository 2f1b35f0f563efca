import CRMCore
import Foundation
import SQLKit

/// The store, written once over SQLKit for SQLite and PostgreSQL. Each capability lives in its own
/// extension file (`SQLStore+Units.swift`, `SQLStore+Users.swift`, …).
public struct SQLStore: Sendable {
    let driver: any DatabaseDriver

    init(driver: any DatabaseDriver) {
        self.driver = driver
    }

    public var dialect: SQLDialectName { driver.dialect }
}

extension SQLRow {
    /// Decodes a column that may be NULL.
    func optional<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        try decodeNil(column: column) ? nil : decode(column: column, as: T.self)
    }
}
