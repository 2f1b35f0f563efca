import CRMTestSupport
import CRMServer
import Foundation
import Testing

@Suite("crm metrics")
struct CRMMetricsTests {
    /// A registry with a series in every crm metric.
    private func populated() -> MetricsRegistry {
        let registry = MetricsRegistry()
        registry.increment(CRMMetrics.webhooksReceived, labels: ["provider": "evolution", "event": "inboundMessage", "result": "applied"])
        registry.increment(CRMMetrics.webhookDedupes, labels: ["provider": "meta"])
        registry.increment(CRMMetrics.webhookUnknownInstances, labels: ["provider": "zapi"])
        registry.increment(CRMMetrics.webhookParseFailures, labels: ["provider": "evolution"])
        registry.increment(CRMMetrics.webhookUnknownSecrets)
        registry.increment(CRMMetrics.webhookBadSignatures, labels: ["provider": "meta"])
        registry.increment(CRMMetrics.httpRateLimited, labels: ["scope": "client"])
        registry.increment(CRMMetrics.httpRequests, labels: ["method": "POST", "status": "200"])
        registry.observe(CRMMetrics.webhookApplySeconds, seconds: 0.003, labels: ["provider": "evolution"])
        registry.increment(CRMMetrics.outboundSends, labels: ["provider": "evolution", "result": "sent"])
        registry.increment(CRMMetrics.outboundRetries, labels: ["provider": "evolution"])
        registry.set(CRMMetrics.rateLimiterKeys, to: 12, labels: ["scope": "client"])
        return registry
    }

    @Test("Names are unique, valid and follow Prometheus conventions; every metric has help")
    func conventions() {
        let names = CRMMetrics.all.map(\.name)
        #expect(Set(names).count == names.count)
        for definition in CRMMetrics.all {
            #expect(definition.name.hasPrefix("crm_"))
            #expect(definition.name.allSatisfy { $0.isLowercase || $0 == "_" })
            #expect(!definition.help.isEmpty)
            #expect((definition.kind == .counter) == definition.name.hasSuffix("_total"), "\(definition.name)")
            if definition.kind == .histogram { #expect(definition.name.hasSuffix("_seconds")) }
        }
    }

    @Test("The metrics the listener issue asks for are declared with their labels")
    func required() throws {
        let byName = Dictionary(uniqueKeysWithValues: CRMMetrics.all.map { ($0.name, $0) })
        let expected: [String: [String]] = [
            "crm_webhooks_received_total": ["provider", "event", "result"],
            "crm_webhook_dedupes_total": ["provider"],
            "crm_webhook_unknown_instances_total": ["provider"],
            "crm_webhook_parse_failures_total": ["provider"],
            "crm_webhook_unknown_secrets_total": [],
            "crm_http_rate_limited_total": ["scope"],
            "crm_http_requests_total": ["method", "status"],
            "crm_webhook_apply_seconds": ["provider"],
        ]
        for (name, labels) in expected {
            let definition = try #require(byName[name], "\(name)")
            #expect(definition.labelNames == labels, "\(name)")
        }
        #expect(byName["crm_webhook_apply_seconds"]?.kind == .histogram)
    }

    @Test("A fresh registry shows the unlabelled counter at zero")
    func freshRegistry() {
        let render = MetricsRegistry().render()
        #expect(render.contains("\ncrm_webhook_unknown_secrets_total 0\n"))
        #expect(!render.contains("crm_webhooks_received_total{"))
    }

    /// `promtool` comes with the Debian/Ubuntu `prometheus` package; without it this test is
    /// skipped (and says so), the exact-output tests above still run.
    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(
        "promtool accepts the exposition, lint included",
        .enabled(if: promtool != nil, "promtool is not installed (apt-get install prometheus)")
    )
    func promtoolCheck() async throws {
        let (promtool, exposition) = (try #require(Self.promtool), populated().render())
        let (status, report) = try await onOwnThread {
            let process = try ChildProcess(promtool, ["check", "metrics"], stdin: .pipe, stdout: .pipe, stderr: .standardOutput)
            try process.writeAndCloseInput(Data(exposition.utf8))
            let report = String(decoding: CLIRunner.readAll(process.standardOutput!), as: UTF8.self)
            return (process.waitUntilExit(), report)
        }
        #expect(status == 0, "\(report)")
        #expect(report.isEmpty, "\(report)")
    }
}
