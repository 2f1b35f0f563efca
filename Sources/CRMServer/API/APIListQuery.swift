import CRMCore
import Foundation
import Hummingbird

/// The query parameters the API's lists share (`limit`, `cursor`, dates, phones), each checked
/// into a 400 that names it.
struct APIListQuery {
    static let maxPage = 200
    static let defaultPage = 50

    let parameters: Parameters

    init(_ request: Request) {
        parameters = request.uri.queryParameters
    }

    func text(_ name: String) -> String? {
        parameters.get(name)
    }

    /// `limit`: 1–200, 50 by default.
    func limit() throws -> Int {
        guard let text = parameters.get("limit") else { return Self.defaultPage }
        guard let value = Int(text), (1...Self.maxPage).contains(value) else {
            throw APIError.invalidRequest("The parameter 'limit' must be between 1 and \(Self.maxPage).")
        }
        return value
    }

    /// `cursor`, decoded by `decode`.
    func cursor<T>(_ decode: (String) -> T?) throws -> T? {
        guard let text = parameters.get("cursor") else { return nil }
        guard let cursor = decode(text) else { throw APIError.invalidRequest("The parameter 'cursor' is not one this API gave.") }
        return cursor
    }

    /// An ISO 8601 time.
    func date(_ name: String) throws -> Date? {
        guard let text = parameters.get(name) else { return nil }
        guard let date = Self.date(text) else {
            throw APIError.invalidRequest("The parameter '\(name)' must be an ISO 8601 time, such as 2026-11-25T13:00:00Z.")
        }
        return date
    }

    /// A phone number with its country code, as digits.
    func phone(_ name: String) throws -> String? {
        guard let text = parameters.get(name) else { return nil }
        do { return try PhoneInput.digits(text) } catch {
            throw APIError.invalidRequest("The parameter '\(name)' is not a phone number with its country code.")
        }
    }

    /// `true` or `false`.
    func bool(_ name: String) throws -> Bool? {
        guard let text = parameters.get(name) else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError.invalidRequest("The parameter '\(name)' must be true or false.")
        }
    }

    /// An ISO 8601 time, with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

/// A page of a list: the items under `key`, and `nextCursor` (`null` on the last page).
struct APIPage<Item: Encodable>: Encodable {
    var key: String
    var items: [Item]
    var nextCursor: String?

    /// The page of `rows` (fetched with one more than `limit`, which tells whether another follows).
    init<Row>(_ key: String, rows: [Row], limit: Int, item: (Row) -> Item, cursor: (Row) -> String) {
        self.key = key
        let page = rows.prefix(limit)
        items = page.map(item)
        nextCursor = rows.count > limit ? page.last.map(cursor) : nil
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(items, forKey: Key(key))
        try container.encode(nextCursor, forKey: Key("nextCursor"))
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
