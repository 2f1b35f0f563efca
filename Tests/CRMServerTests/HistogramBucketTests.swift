import CRMServer
import Foundation
import Testing

@Suite("Histogram buckets")
struct HistogramBucketTests {
    let histogram = HistogramMetric("test_h_seconds", help: "h", labels: ["p"], buckets: [0.5, 0.1, 1, 0.5, .infinity])

    /// The `_bucket` counts by `le`, in order.
    private func buckets(after values: [Double]) -> [String] {
        let registry = MetricsRegistry(declaring: [])
        for value in values { registry.observe(histogram, seconds: value, labels: ["p": "x"]) }
        return registry.render().split(separator: "\n")
            .filter { $0.hasPrefix("test_h_seconds_bucket") }
            .map { String($0.split(separator: "le=").last!) }
    }

    @Test("Bounds are sorted, deduplicated and finite; +Inf is always last")
    func bounds() {
        #expect(histogram.definition.buckets == [0.1, 0.5, 1])
        #expect(buckets(after: [100]) == [#""0.1"} 0"#, #""0.5"} 0"#, #""1"} 0"#, #""+Inf"} 1"#])
        // A labelled histogram shows no series before its first observation.
        #expect(buckets(after: []).isEmpty)
    }

    @Test("A value on a bound counts in that bucket (le is inclusive), and counts are cumulative")
    func inclusiveCumulative() {
        #expect(buckets(after: [0.1, 0.1000001, 0.5, 2, -1]) == [#""0.1"} 2"#, #""0.5"} 4"#, #""1"} 4"#, #""+Inf"} 5"#])
    }

    @Test("Sum and count cover every observation, NaN is ignored")
    func sumAndCount() {
        let registry = MetricsRegistry(declaring: [])
        for value in [0.25, 4, .nan, 0.75] { registry.observe(histogram, seconds: value, labels: ["p": "y"]) }
        let render = registry.render()
        #expect(render.contains("test_h_seconds_sum{p=\"y\"} 5\n"))
        #expect(render.contains("test_h_seconds_count{p=\"y\"} 3\n"))
        #expect(render.contains("test_h_seconds_bucket{p=\"y\",le=\"+Inf\"} 3\n"))
    }

    @Test("Series of one histogram are kept apart by label")
    func separateSeries() {
        let registry = MetricsRegistry(declaring: [])
        registry.observe(histogram, seconds: 0.05, labels: ["p": "a"])
        registry.observe(histogram, seconds: 5, labels: ["p": "b"])
        let render = registry.render()
        #expect(render.contains("test_h_seconds_bucket{p=\"a\",le=\"0.1\"} 1\n"))
        #expect(render.contains("test_h_seconds_bucket{p=\"b\",le=\"0.1\"} 0\n"))
        #expect(render.contains("test_h_seconds_bucket{p=\"b\",le=\"+Inf\"} 1\n"))
        #expect(render.range(of: "{p=\"a\",le=\"0.1\"}")!.lowerBound < render.range(of: "{p=\"b\",le=\"0.1\"}")!.lowerBound)
    }
}
