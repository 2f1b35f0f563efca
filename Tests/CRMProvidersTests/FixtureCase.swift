import CRMCore
import Foundation
import Testing

/// One entry of an `expected.json`: a body and what parsing it must give.
struct FixtureCase: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        /// Exactly these events, in order; each compared on its listed fields only.
        case events([[String: JSONValue]])
        /// A valid body that changes nothing.
        case ignored
        /// A body the parser must reject.
        case invalid
    }

    let set: String
    let file: String
    let provider: String
    /// Evolution "webhook by events": the event name from the URL.
    let pathEvent: String?
    let outcome: Outcome

    var testDescription: String { "\(set)/\(file)" }

    /// Keys of an expectation that describe the case rather than the event.
    static let descriptiveKeys: Set<String> = ["file", "provider", "note", "pathEvent", "kind"]

    /// All cases of every fixture set.
    static func all() throws -> [FixtureCase] {
        try Fixtures.sets.flatMap { try load(set: $0) }
    }

    static func load(set: String) throws -> [FixtureCase] {
        let document = try JSONValue.parse(Fixtures.data(set, "expected.json"))
        guard let entries = document.arrayValue else { throw LoadError.malformed(set, "not an array") }
        return try entries.map { try FixtureCase(set: set, entry: $0) }
    }

    init(set: String, entry: JSONValue) throws {
        guard let object = entry.objectValue,
              let file = object["file"]?.stringValue,
              let provider = object["provider"]?.stringValue
        else { throw LoadError.malformed(set, "entry without file or provider: \(entry)") }
        self.set = set
        self.file = file
        self.provider = provider
        pathEvent = object["pathEvent"]?.stringValue
        if let events = object["events"] {
            guard let list = events.arrayValue?.compactMap(\.objectValue), list.count == events.arrayValue?.count else {
                throw LoadError.malformed(set, "\(file): events is not an array of objects")
            }
            outcome = .events(list)
        } else {
            switch object["kind"]?.stringValue {
            case "ignored": outcome = .ignored
            case "invalid": outcome = .invalid
            case .some: outcome = .events([object])
            case nil: throw LoadError.malformed(set, "\(file): no kind and no events")
            }
        }
    }

    enum LoadError: Error {
        case malformed(String, String)
    }
}
