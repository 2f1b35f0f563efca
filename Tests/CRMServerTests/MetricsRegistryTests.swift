import CRMServer
import Foundation
import Testing

@Suite("Metrics registry")
struct MetricsRegistryTests {
    let requests = CounterMetric("test_requests_total", help: "Requests answered.", labels: ["method", "status"])
    let up = GaugeMetric("test_up", help: "Whether it is up.")
    let latency = HistogramMetric("test_seconds", help: "Latency.", buckets: [1, 0.1])

    @Test("A small registry renders exactly: HELP, TYPE, sorted series, cumulative buckets")
    func exactExposition() {
        let registry = MetricsRegistry(declaring: [requests.definition, up.definition, latency.definition])
        registry.increment(requests, labels: ["method": "POST", "status": "200"], by: 2)
        registry.increment(requests, labels: ["status": "404", "method": "GET"])
        registry.set(up, to: 1)
        registry.observe(latency, seconds: 0.0625)
        registry.observe(latency, seconds: 0.5)
        registry.observe(latency, seconds: 3)
        #expect(registry.render() == """
        # HELP test_requests_total Requests answered.
        # TYPE test_requests_total counter
        test_requests_total{method="GET",status="404"} 1
        test_requests_total{method="POST",status="200"} 2
        # HELP test_up Whether it is up.
        # TYPE test_up gauge
        test_up 1
        # HELP test_seconds Latency.
        # TYPE test_seconds histogram
        test_seconds_bucket{le="0.1"} 1
        test_seconds_bucket{le="1"} 2
        test_seconds_bucket{le="+Inf"} 3
        test_seconds_sum 3.5625
        test_seconds_count 3

        """)
    }

    @Test("Unlabelled metrics start at zero; labelled ones appear with their first series")
    func declaredMetrics() {
        let registry = MetricsRegistry(declaring: [requests.definition, up.definition, latency.definition])
        #expect(registry.render() == """
        # HELP test_up Whether it is up.
        # TYPE test_up gauge
        test_up 0
        # HELP test_seconds Latency.
        # TYPE test_seconds histogram
        test_seconds_bucket{le="0.1"} 0
        test_seconds_bucket{le="1"} 0
        test_seconds_bucket{le="+Inf"} 0
        test_seconds_sum 0
        test_seconds_count 0

        """)
    }

    @Test("Metrics first used after start are appended in first-use order")
    func undeclaredMetrics() throws {
        let registry = MetricsRegistry(declaring: [])
        registry.set(up, to: 2)
        registry.increment(requests, labels: ["method": "GET", "status": "200"])
        let render = registry.render()
        let upType = try #require(render.range(of: "# TYPE test_up gauge"))
        let requestsType = try #require(render.range(of: "# TYPE test_requests_total counter"))
        #expect(upType.lowerBound < requestsType.lowerBound)
        #expect(render.contains("test_requests_total{method=\"GET\",status=\"200\"} 1\n"))
    }

    @Test("Values are spelled as Prometheus parses them", arguments: [
        (3.0, "3"), (1.5, "1.5"), (1e-7, "1e-07"), (-2, "-2"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
        (Double.nan, "NaN"), (1e20, "1e+20"),
    ])
    func numbers(value: Double, spelled: String) {
        let registry = MetricsRegistry(declaring: [])
        registry.set(up, to: value)
        #expect(registry.render().hasSuffix("\ntest_up \(spelled)\n"))
    }

    @Test("Concurrent updates from many tasks all count")
    func concurrentIncrements() async {
        let registry = MetricsRegistry(declaring: [])
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<64 {
                group.addTask {
                    for _ in 0..<500 {
                        registry.increment(requests, labels: ["method": task.isMultiple(of: 2) ? "GET" : "POST", "status": "200"])
                        registry.add(1, to: up)
                        registry.observe(latency, seconds: 0.5)
                    }
                }
            }
        }
        #expect(registry.value(of: requests.definition, labels: ["method": "GET", "status": "200"]) == 16_000)
        #expect(registry.value(of: requests.definition, labels: ["method": "POST", "status": "200"]) == 16_000)
        #expect(registry.value(of: up.definition) == 32_000)
        #expect(registry.render().contains("test_seconds_count 32000\n"))
        #expect(registry.render().contains("test_seconds_sum 16000\n"))
    }

    @Test("Label values escape backslash, quote and newline; help escapes backslash and newline")
    func escaping() {
        let odd = CounterMetric("test_odd_total", help: "Path C:\\tmp\nsecond \"line\".", labels: ["value"])
        let registry = MetricsRegistry(declaring: [])
        registry.increment(odd, labels: ["value": "a\\b\"c\nd"])
        #expect(registry.render() == """
        # HELP test_odd_total Path C:\\\\tmp\\nsecond "line".
        # TYPE test_odd_total counter
        test_odd_total{value="a\\\\b\\"c\\nd"} 1

        """)
    }

    @Test("Counters never go down; gauges do")
    func monotonicCounters() {
        let registry = MetricsRegistry(declaring: [])
        registry.increment(requests, labels: ["method": "GET", "status": "200"], by: 3)
        registry.increment(requests, labels: ["method": "GET", "status": "200"], by: -2)
        #expect(registry.value(of: requests.definition, labels: ["method": "GET", "status": "200"]) == 3)
        registry.set(up, to: 5)
        registry.add(-2, to: up)
        #expect(registry.value(of: up.definition) == 3)
    }

    @Test("Extra labels follow the declared ones, sorted; missing ones are left out")
    func labelOrder() {
        let registry = MetricsRegistry(declaring: [])
        registry.increment(requests, labels: ["zone": "b", "status": "500", "area": "a"])
        #expect(registry.render().contains("test_requests_total{status=\"500\",area=\"a\",zone=\"b\"} 1\n"))
    }

    @Test("Durations are recorded in seconds")
    func durations() {
        let registry = MetricsRegistry(declaring: [latency.definition])
        registry.observe(latency, duration: .milliseconds(250))
        #expect(registry.render().contains("test_seconds_bucket{le=\"0.1\"} 0\ntest_seconds_bucket{le=\"1\"} 1\n"))
        #expect(registry.render().contains("test_seconds_sum 0.25\n"))
    }
}
