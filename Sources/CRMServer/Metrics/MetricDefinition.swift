/// What a metric is, independent of its values: name, help text, type, label names and, for
/// histograms, the bucket bounds. Declared once (see `CRMMetrics`) and passed to the registry
/// through the typed wrappers below, so that a counter cannot be observed as a histogram.
package struct MetricDefinition: Sendable, Hashable {
    /// The Prometheus types crm uses (`# TYPE` line).
    package enum Kind: String, Sendable, Hashable {
        case counter, gauge, histogram
    }

    package let name: String
    package let help: String
    package let kind: Kind
    /// The label names in the order they are written; the values come with each update.
    package let labelNames: [String]
    /// Histogram upper bounds, ascending, without `+Inf` (always added); empty otherwise.
    package let buckets: [Double]

    package init(name: String, help: String, kind: Kind, labelNames: [String] = [], buckets: [Double] = []) {
        self.name = name
        self.help = help
        self.kind = kind
        self.labelNames = labelNames
        self.buckets = kind == .histogram ? Array(Set(buckets.filter(\.isFinite))).sorted() : []
    }
}

/// A monotonically increasing count (`_total`).
package struct CounterMetric: Sendable, Hashable {
    package let definition: MetricDefinition

    package init(_ name: String, help: String, labels: [String] = []) {
        definition = MetricDefinition(name: name, help: help, kind: .counter, labelNames: labels)
    }
}

/// A value that goes up and down (keys tracked, connections open…).
package struct GaugeMetric: Sendable, Hashable {
    package let definition: MetricDefinition

    package init(_ name: String, help: String, labels: [String] = []) {
        definition = MetricDefinition(name: name, help: help, kind: .gauge, labelNames: labels)
    }
}

/// A distribution over fixed buckets (latencies in seconds).
package struct HistogramMetric: Sendable, Hashable {
    package let definition: MetricDefinition

    package init(_ name: String, help: String, labels: [String] = [], buckets: [Double]) {
        definition = MetricDefinition(name: name, help: help, kind: .histogram, labelNames: labels, buckets: buckets)
    }
}
