import CRMCore
import Foundation

/// The opaque `cursor` of the API's lists: the fields of a page's last row, joined with `|`, as
/// base64url. Clients pass it back unchanged; anything else is refused as a 400.
enum APICursor {
    static func encode(_ fields: [String]) -> String {
        Data(fields.joined(separator: "|").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The fields, when `text` is a cursor of `count` fields.
    static func decode(_ text: String, count: Int) -> [String]? {
        guard text.count <= 300 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else { return nil }
        let fields = plain.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        return fields.count == count ? fields : nil
    }

    /// A date as a cursor field (seconds since 1970, every digit a Double keeps); "-" for none.
    static func field(_ date: Date?) -> String {
        date.map { "\($0.timeIntervalSince1970)" } ?? "-"
    }

    /// `.some(nil)` for "-", `nil` when the field is not a date.
    static func date(_ field: String) -> Date?? {
        if field == "-" { return .some(nil) }
        guard let seconds = Double(field), seconds.isFinite else { return nil }
        return .some(Date(timeIntervalSince1970: seconds))
    }
}

extension ConversationCursor {
    var apiText: String { APICursor.encode([id.text, APICursor.field(lastMessageAt), APICursor.field(updatedAt)]) }

    init?(apiText: String) {
        guard let fields = APICursor.decode(apiText, count: 3), let id = UUID(uuidString: fields[0]),
              let last = APICursor.date(fields[1]), let updatedField = APICursor.date(fields[2]), let updated = updatedField
        else { return nil }
        self.init(lastMessageAt: last, updatedAt: updated, id: id)
    }
}

extension ContactCursor {
    var apiText: String { APICursor.encode([id.text, APICursor.field(updatedAt)]) }

    init?(apiText: String) {
        guard let fields = APICursor.decode(apiText, count: 2), let id = UUID(uuidString: fields[0]),
              let updatedField = APICursor.date(fields[1]), let updated = updatedField
        else { return nil }
        self.init(updatedAt: updated, id: id)
    }
}
