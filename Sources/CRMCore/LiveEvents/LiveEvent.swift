import Foundation

/// A change a signed-in client follows live (`GET /events`): a message created or moved on, a
/// connection's state, a campaign's progress. Small on purpose: ids, states and counts, never a
/// message's text or a phone number; a client reads the rest from the API.
package struct LiveEvent: Sendable, Equatable {
    package enum Kind: String, Sendable, CaseIterable {
        case messageCreated = "message.created"
        case messageStatus = "message.status"
        case connectionChanged = "connection.changed"
        case campaignProgress = "campaign.progress"
    }

    package var kind: Kind
    package var unitId: UUID
    /// The message, the unit's connection, or the campaign.
    package var subjectId: UUID
    /// When the change was recorded: the order of the feed and its resume point.
    package var changedAt: Date
    package var fields: [String: LiveEventValue]

    package init(kind: Kind, unitId: UUID, subjectId: UUID, changedAt: Date, fields: [String: LiveEventValue]) {
        self.kind = kind
        self.unitId = unitId
        self.subjectId = subjectId
        self.changedAt = changedAt
        self.fields = fields
    }

    /// Identifies this state of the subject: the same change read twice is one event.
    var key: String { "\(kind.rawValue)|\(subjectId)|\(changedAt.timeIntervalSince1970)|\(fields["status"].map { "\($0)" } ?? "")" }
}

/// A field's value: text, a whole number, or null.
package enum LiveEventValue: Sendable, Equatable, Encodable {
    case text(String)
    case number(Int)
    case null

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .null: try container.encodeNil()
        }
    }
}

/// The resume point a client hands back (`Last-Event-ID`): microseconds since 1970, as text.
package enum LiveEventCursor {
    package static func text(_ date: Date) -> String { String(Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))) }

    /// `nil` for text that is not a cursor.
    package static func date(_ text: String) -> Date? {
        guard let micros = Int64(text.trimmingCharacters(in: .whitespaces)), micros > 0 else { return nil }
        return Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}
