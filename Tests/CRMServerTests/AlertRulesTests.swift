import CRMServer
import CRMTestSupport
import Foundation
import Testing

/// docs/alerts.yml: valid Prometheus rules, about metrics the listener serves, firing at the
/// figures docs/operations.md calls unhealthy and silent at healthy ones.
@Suite("Alerting rules (docs/alerts.yml)")
struct AlertRulesTests {
    static let rules = "docs/alerts.yml"
    static let promtool = RepositoryFiles.tool("/usr/bin/promtool", "/usr/local/bin/promtool")

    /// The series names a scrape of the listener can hold: each metric's name, and a histogram's
    /// `_bucket`, `_sum` and `_count`.
    static var servedSeries: Set<String> {
        Set(CRMMetrics.all.flatMap { definition in
            definition.kind == .histogram
                ? ["_bucket", "_sum", "_count"].map { definition.name + $0 }
                : [definition.name]
        })
    }

    /// Every `crm_…` word of a text.
    static func metricNames(in text: String) -> Set<String> {
        Set(text.matches(of: /crm_[a-z_]+/).map { String($0.output) })
    }

    @Test("Every metric the rules name is one the listener serves")
    func namesExist() throws {
        let used = Self.metricNames(in: try RepositoryFiles.text(Self.rules))
        #expect(used.count >= 8, "\(used.sorted())")
        #expect(used.subtracting(Self.servedSeries).isEmpty, "not served by the listener: \(used.subtracting(Self.servedSeries).sorted())")
        #expect(used.contains("crm_webhooks_received_total") && used.contains("crm_outbound_retries_total"))
    }

    @Test("docs/operations.md describes every metric and every alert")
    func documented() throws {
        let operations = try RepositoryFiles.text("docs/operations.md")
        for definition in CRMMetrics.all {
            #expect(operations.contains("`\(definition.name)`"), "\(definition.name) is not in docs/operations.md")
        }
        let alerts = try RepositoryFiles.text(Self.rules).matches(of: /- alert: ([A-Za-z]+)/).map { String($0.output.1) }
        #expect(alerts.count >= 10)
        for alert in alerts {
            #expect(operations.contains("`\(alert)`"), "\(alert) is not in docs/operations.md")
        }
    }

    @Test("promtool check rules accepts the file", .enabled(if: promtool != nil, "promtool is not installed (apt-get install prometheus)"))
    func check() async throws {
        let result = try await RepositoryFiles.run(try #require(Self.promtool), ["check", "rules", RepositoryFiles.url(Self.rules).path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SUCCESS"), "\(result.output)")
    }

    /// `promtool test rules` compares annotations too; the fixture states labels only, so the rules
    /// are tested without their annotations (whose templates `check rules` validates).
    @Test(
        "Each alert fires at unhealthy figures and stays silent at healthy ones (promtool test rules)",
        .enabled(if: promtool != nil, "promtool is not installed (apt-get install prometheus)")
    )
    func behaviour() async throws {
        let folder = try TestDatabases.temporaryFolder()
        try Self.withoutAnnotations(try RepositoryFiles.text(Self.rules))
            .write(to: folder.appendingPathComponent("alerts.yml"), atomically: true, encoding: .utf8)
        let test = folder.appendingPathComponent("alerts.test.yml")
        try FileManager.default.copyItem(at: RepositoryFiles.url("Tests/Fixtures/alerts/alerts.test.yml"), to: test)
        let result = try await RepositoryFiles.run(try #require(Self.promtool), ["test", "rules", test.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SUCCESS"), "\(result.output)")
    }

    @Test("Stripping annotations keeps every rule")
    func stripping() throws {
        let text = try RepositoryFiles.text(Self.rules)
        let stripped = Self.withoutAnnotations(text)
        #expect(!stripped.contains("annotations:") && !stripped.contains("summary:"))
        #expect(stripped.matches(of: /- alert:/).count == text.matches(of: /- alert:/).count)
        #expect(stripped.matches(of: /expr:/).count == text.matches(of: /expr:/).count)
    }

    /// The rules without their `annotations:` blocks (each block: the key's line and the lines
    /// indented deeper than it).
    static func withoutAnnotations(_ yaml: String) -> String {
        var kept: [Substring] = []
        var skippingBelow: Int?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }.count
            if let depth = skippingBelow {
                if line.allSatisfy(\.isWhitespace) || indent > depth { continue }
                skippingBelow = nil
            }
            if line.drop(while: { $0 == " " }) == "annotations:" {
                skippingBelow = indent
                continue
            }
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }
}
