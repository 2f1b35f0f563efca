import NIOConcurrencyHelpers

/// A small Prometheus registry: labelled counters, gauges and fixed-bucket histograms, rendered
/// in the text exposition format 0.0.4 for `GET /metrics`.
///
/// Every request handler updates it, so all state sits behind one lock; an update is a
/// dictionary lookup and an addition, far cheaper than the request around it.
package final class MetricsRegistry: Sendable {
    /// The `Content-Type` of `render()`'s output.
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let state: NIOLockedValueBox<State>

    /// Declares `definitions` up front so that they render in this order, and so that metrics
    /// without labels show `0` before their first update (a missing series and a zero are not
    /// the same thing to `rate()`). Metrics first used later are appended.
    package init(declaring definitions: [MetricDefinition] = CRMMetrics.all) {
        var state = State()
        for definition in definitions {
            state.declare(definition)
        }
        self.state = NIOLockedValueBox(state)
    }

    /// Adds `amount` to a counter series. Negative amounts are ignored: counters never go down.
    package func increment(_ counter: CounterMetric, labels: [String: String] = [:], by amount: Double = 1) {
        guard amount >= 0, !amount.isNaN else { return }
        state.withLockedValue { $0.add(amount, to: counter.definition, labels: labels) }
    }

    /// Sets a gauge series.
    package func set(_ gauge: GaugeMetric, to value: Double, labels: [String: String] = [:]) {
        state.withLockedValue { $0.set(value, of: gauge.definition, labels: labels) }
    }

    /// Adds `amount` (which may be negative) to a gauge series.
    package func add(_ amount: Double, to gauge: GaugeMetric, labels: [String: String] = [:]) {
        state.withLockedValue { $0.add(amount, to: gauge.definition, labels: labels) }
    }

    /// Records one observation in a histogram series. NaN is ignored.
    package func observe(_ histogram: HistogramMetric, seconds: Double, labels: [String: String] = [:]) {
        guard !seconds.isNaN else { return }
        state.withLockedValue { $0.observe(seconds, in: histogram.definition, labels: labels) }
    }

    /// Records a duration, e.g. one measured with `ContinuousClock().measure { … }`.
    package func observe(_ histogram: HistogramMetric, duration: Duration, labels: [String: String] = [:]) {
        let (seconds, attoseconds) = duration.components
        observe(histogram, seconds: Double(seconds) + Double(attoseconds) / 1e18, labels: labels)
    }

    /// The current value of a counter or gauge series (`nil` before its first update); for
    /// tests and for the listener's own decisions.
    package func value(of definition: MetricDefinition, labels: [String: String] = [:]) -> Double? {
        state.withLockedValue { state in
            guard case .value(let value)? = state.families[definition.name]?.series[labels] else { return nil }
            return value
        }
    }

    /// A snapshot of everything, in the Prometheus text format (one trailing newline).
    package func render() -> String {
        let families = state.withLockedValue { state in state.order.compactMap { state.families[$0] } }
        return PrometheusText.render(families)
    }
}

extension MetricsRegistry {
    /// One metric and its series, keyed by their label values.
    struct Family: Sendable {
        let definition: MetricDefinition
        var series: [[String: String]: Series] = [:]

        /// Counters and gauges (the family's own kind decides, as first declared).
        mutating func add(_ amount: Double, labels: [String: String]) {
            guard definition.kind != .histogram else { return }
            series[labels, default: .value(0)].add(amount)
        }

        mutating func set(_ value: Double, labels: [String: String]) {
            guard definition.kind == .gauge else { return }
            series[labels] = .value(value)
        }

        mutating func observe(_ value: Double, labels: [String: String]) {
            guard definition.kind == .histogram else { return }
            let bounds = definition.buckets
            series[labels, default: .histogram(HistogramCounts(bucketCount: bounds.count))].observe(value, bounds: bounds)
        }
    }

    enum Series: Sendable {
        case value(Double)
        case histogram(HistogramCounts)

        mutating func add(_ amount: Double) {
            guard case .value(let current) = self else { return }
            self = .value(current + amount)
        }

        mutating func observe(_ value: Double, bounds: [Double]) {
            guard case .histogram(var counts) = self else { return }
            self = .value(0)  // drops the second reference, so that the counts change in place
            counts.observe(value, bounds: bounds)
            self = .histogram(counts)
        }
    }

    /// Per-bucket (non-cumulative) counts; `render` accumulates them.
    struct HistogramCounts: Sendable {
        /// `bucketCounts[i]` counts observations in `(buckets[i-1], buckets[i]]`; the last
        /// element counts those above every bound.
        var bucketCounts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0

        init(bucketCount: Int) {
            bucketCounts = Array(repeating: 0, count: bucketCount + 1)
        }

        mutating func observe(_ value: Double, bounds: [Double]) {
            let index = bounds.firstIndex { value <= $0 } ?? bounds.count
            bucketCounts[index] += 1
            sum += value
            count += 1
        }
    }

    struct State: Sendable {
        var families: [String: Family] = [:]
        var order: [String] = []

        /// The family of `definition`, registering it on first use. A second definition with
        /// the same name keeps the first one's type, help and buckets.
        mutating func declare(_ definition: MetricDefinition) {
            guard families[definition.name] == nil else { return }
            var family = Family(definition: definition)
            if definition.labelNames.isEmpty {
                family.series[[:]] = definition.kind == .histogram
                    ? .histogram(HistogramCounts(bucketCount: definition.buckets.count))
                    : .value(0)
            }
            families[definition.name] = family
            order.append(definition.name)
        }

        // Each update finds its family and its series once and changes them in place: these run
        // several times per request, and every lookup hashes the label dictionary again.

        mutating func add(_ amount: Double, to definition: MetricDefinition, labels: [String: String]) {
            declare(definition)
            families[definition.name]?.add(amount, labels: labels)
        }

        mutating func set(_ value: Double, of definition: MetricDefinition, labels: [String: String]) {
            declare(definition)
            families[definition.name]?.set(value, labels: labels)
        }

        mutating func observe(_ value: Double, in definition: MetricDefinition, labels: [String: String]) {
            declare(definition)
            families[definition.name]?.observe(value, labels: labels)
        }
    }
}
