import CRMCore
import CRMProviders
import Foundation
import Testing

/// Every fixture body listed in `providers/expected.json` and `providers-extra/expected.json`
/// parses to exactly the listed events (compared on the listed fields, JSON types included),
/// to no event (`ignored`), or is rejected (`invalid`).
@Suite("Fixture expectations")
struct FixtureExpectationTests {
    @Test("Parsing each fixture body gives its expected events", arguments: try FixtureCase.all())
    func fixtureParsesAsExpected(_ fixture: FixtureCase) throws {
        let body = try Fixtures.data(fixture.set, fixture.file)
        let parser = try #require(Fixtures.parser(for: fixture.provider), "unknown provider \(fixture.provider)")

        switch fixture.outcome {
        case .invalid:
            #expect(throws: WebhookParseError.self) {
                try parser.parse(body, pathEvent: fixture.pathEvent)
            }
        case .ignored:
            let events = try parser.parse(body, pathEvent: fixture.pathEvent)
            #expect(events.isEmpty, "expected no event, got \(events)")
        case .events(let expected):
            let events = try parser.parse(body, pathEvent: fixture.pathEvent)
            try #require(events.count == expected.count, "expected \(expected.count) events, got \(events)")
            for (index, (event, expectation)) in zip(events, expected).enumerated() {
                let actual = try #require(JSONValue.encoding(event).objectValue)
                #expect(actual["kind"] == expectation["kind"], "event \(index): kind")
                for (key, value) in expectation where !FixtureCase.descriptiveKeys.contains(key) {
                    // An absent field and `null` both mean "no value".
                    let produced = actual[key] ?? .null
                    #expect(produced == value, "event \(index): \(key) is \(produced), expected \(value)")
                }
            }
        }
    }

    @Test("Every webhook body in the fixture trees has an expectation", arguments: Fixtures.sets)
    func everyWebhookFileIsListed(set: String) throws {
        let listed = Set(try FixtureCase.load(set: set).map(\.file))
        let present = try Fixtures.webhookFiles(in: set)
        #expect(!present.isEmpty)
        let unlisted = present.filter { !listed.contains($0) }
        #expect(unlisted.isEmpty, "bodies without expectation in \(set): \(unlisted)")
        let missing = listed.subtracting(present)
        #expect(missing.isEmpty, "expectations without body in \(set): \(missing.sorted())")
    }

    @Test("The fixture sets cover every outcome and provider")
    func fixtureSetsAreNotHollow() throws {
        let cases = try FixtureCase.all()
        #expect(cases.count >= 100)
        for provider in ProviderKind.allCases {
            let mine = cases.filter { $0.provider == provider.rawValue }
            #expect(mine.contains { if case .events = $0.outcome { true } else { false } }, "\(provider) events")
            #expect(mine.contains { if case .ignored = $0.outcome { true } else { false } }, "\(provider) ignored")
            #expect(mine.contains { if case .invalid = $0.outcome { true } else { false } }, "\(provider) invalid")
        }
    }
}
