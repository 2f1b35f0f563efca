import CRMCore
import CRMProviders
import Foundation

/// The fixture trees under `Tests/Fixtures`, found from this file's path so that the tests run
/// from a plain clone of the repository (no bundle resources).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The shared sample bodies (`providers`) and ours (`providers-extra`).
    static let sets = ["providers", "providers-extra"]

    static func url(_ set: String, _ file: String) -> URL {
        root.appendingPathComponent(set).appendingPathComponent(file)
    }

    static func data(_ set: String, _ file: String) throws -> Data {
        try Data(contentsOf: url(set, file))
    }

    /// The parser for a provider name as written in `expected.json`.
    static func parser(for provider: String) -> (any WebhookParser)? {
        switch ProviderKind(rawValue: provider) {
        case .evolution: EvolutionWebhookParser()
        case .meta: MetaWebhookParser()
        case .zapi: ZAPIWebhookParser()
        case nil: nil
        }
    }

    /// Parses a fixture file with the parser its path names (`evolution/…`, `meta/…`, `zapi/…`).
    static func parse(_ set: String, _ file: String, pathEvent: String? = nil) throws -> [WebhookEvent] {
        guard let provider = file.split(separator: "/").first.map(String.init),
              let parser = parser(for: provider) else {
            throw FixtureError.unknownProvider(file)
        }
        return try parser.parse(data(set, file), pathEvent: pathEvent)
    }

    /// Every body in a set's `*/webhooks/` folders, relative to the set.
    static func webhookFiles(in set: String) throws -> [String] {
        var files: [String] = []
        let setURL = root.appendingPathComponent(set)
        for provider in try FileManager.default.contentsOfDirectory(atPath: setURL.path).sorted() {
            let folder = setURL.appendingPathComponent(provider).appendingPathComponent("webhooks")
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            files += names.sorted().map { "\(provider)/webhooks/\($0)" }
        }
        return files
    }

    enum FixtureError: Error {
        case unknownProvider(String)
    }
}
