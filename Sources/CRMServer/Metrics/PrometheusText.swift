import Foundation

/// The Prometheus text exposition format 0.0.4: escaping, number spelling and the lines of
/// each metric type.
enum PrometheusText {
    /// `# HELP` and `# TYPE`, then the series sorted by their label text so that two scrapes of
    /// the same state are byte for byte equal. Labelled metrics without any series yet are left
    /// out, as client libraries do.
    static func render(_ families: [MetricsRegistry.Family]) -> String {
        var output = ""
        for family in families where !family.series.isEmpty {
            let definition = family.definition
            output += "# HELP \(definition.name) \(escapeHelp(definition.help))\n"
            output += "# TYPE \(definition.name) \(definition.kind.rawValue)\n"
            let sorted = family.series
                .map { (labels: orderedLabels($0.key, declared: definition.labelNames), series: $0.value) }
                .sorted { labelText($0.labels) < labelText($1.labels) }
            for (labels, series) in sorted {
                switch series {
                case .value(let value):
                    output += "\(definition.name)\(labelText(labels)) \(number(value))\n"
                case .histogram(let counts):
                    output += histogramLines(definition, labels: labels, counts: counts)
                }
            }
        }
        return output
    }

    /// `_bucket` lines, cumulative, ending with `le="+Inf"` (= `_count`), then `_sum` and `_count`.
    private static func histogramLines(
        _ definition: MetricDefinition,
        labels: [(String, String)],
        counts: MetricsRegistry.HistogramCounts
    ) -> String {
        var lines = ""
        var cumulative: UInt64 = 0
        for (index, bound) in definition.buckets.enumerated() {
            cumulative += counts.bucketCounts[index]
            lines += "\(definition.name)_bucket\(labelText(labels + [("le", number(bound))])) \(cumulative)\n"
        }
        lines += "\(definition.name)_bucket\(labelText(labels + [("le", "+Inf")])) \(counts.count)\n"
        lines += "\(definition.name)_sum\(labelText(labels)) \(number(counts.sum))\n"
        lines += "\(definition.name)_count\(labelText(labels)) \(counts.count)\n"
        return lines
    }

    /// Declared labels in declaration order, then any others sorted by name.
    static func orderedLabels(_ labels: [String: String], declared: [String]) -> [(String, String)] {
        let known = declared.compactMap { name in labels[name].map { (name, $0) } }
        let extra = labels.filter { !declared.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return known + extra
    }

    /// `{a="1",b="2"}`, or nothing without labels.
    static func labelText(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.0)=\"\(escapeLabelValue($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// Label values escape backslash, double quote and line feed.
    static func escapeLabelValue(_ value: String) -> String {
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Help text escapes backslash and line feed only.
    static func escapeHelp(_ help: String) -> String {
        help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Integral values without a fraction (`3`, not `3.0`), `+Inf`/`-Inf`/`NaN` as Prometheus
    /// spells them, other values in Swift's shortest round-trip form (`0.005`, `1e-07`).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
