import CRMCore
import Foundation

/// The JSON shape of `crm stats` (every key always present; a rate is null when it cannot be
/// computed), and its text for people.
struct StatsView: Encodable {
    var unitId: String?
    var unitSlug: String?
    var since: Date
    var until: Date
    var webhooks: Webhooks
    var messages: Messages

    struct Webhooks: Encodable {
        var received: Int
        var applied: Int
        var ignored: Int
        var duplicate: Int
        var unknownInstance: Int
        var failed: Int
        var invalid: Int
        var pending: Int
        var reapplied: Int
        var successRate: Double?
        var unknownInstanceRate: Double?
        /// Always null: the database does not record duplicates (see `dedupeSource`).
        var dedupeRate: Double?
        var dedupeSource = "GET /metrics: crm_webhook_dedupes_total / crm_webhooks_received_total"

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            for (key, value) in [
                (CodingKeys.received, received), (.applied, applied), (.ignored, ignored), (.duplicate, duplicate),
                (.unknownInstance, unknownInstance), (.failed, failed), (.invalid, invalid), (.pending, pending),
                (.reapplied, reapplied),
            ] {
                try container.encode(value, forKey: key)
            }
            try container.encode(successRate, forKey: .successRate)
            try container.encode(unknownInstanceRate, forKey: .unknownInstanceRate)
            try container.encode(dedupeRate, forKey: .dedupeRate)
            try container.encode(dedupeSource, forKey: .dedupeSource)
        }

        enum CodingKeys: String, CodingKey {
            case received, applied, ignored, duplicate, unknownInstance, failed, invalid, pending, reapplied
            case successRate, unknownInstanceRate, dedupeRate, dedupeSource
        }
    }

    struct Messages: Encodable {
        /// Every status of the direction, 0 when none: `total`, then one key per status.
        var inbound: [String: Int]
        var outbound: [String: Int]
        var outboundCalls: Int
        var outboundRetries: Int
        var outboundRetried: Int
        var outboundRetryRate: Double?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(inbound, forKey: .inbound)
            try container.encode(outbound, forKey: .outbound)
            try container.encode(outboundCalls, forKey: .outboundCalls)
            try container.encode(outboundRetries, forKey: .outboundRetries)
            try container.encode(outboundRetried, forKey: .outboundRetried)
            try container.encode(outboundRetryRate, forKey: .outboundRetryRate)
        }

        enum CodingKeys: String, CodingKey {
            case inbound, outbound, outboundCalls, outboundRetries, outboundRetried, outboundRetryRate
        }
    }

    static let inboundStates: [MessageState] = [.received]
    static let outboundStates: [MessageState] = [.queued, .sent, .delivered, .read, .failed]

    init(_ stats: OperatingStats, unitSlug: String?) {
        unitId = stats.period.unitId?.text
        self.unitSlug = unitSlug
        since = stats.period.since
        until = stats.period.until
        let w = stats.webhooks
        webhooks = Webhooks(
            received: stats.webhooksReceived, applied: w[.applied], ignored: w[.ignored], duplicate: w[.duplicate],
            unknownInstance: w[.unknownInstance], failed: w[.failed], invalid: w[.invalid], pending: w[.pending],
            reapplied: w.reapplied, successRate: stats.successRate, unknownInstanceRate: stats.unknownInstanceRate
        )
        func counts(_ byState: [MessageState: Int], _ states: [MessageState]) -> [String: Int] {
            var counts = ["total": byState.values.reduce(0, +)]
            for state in states { counts[state.rawValue] = byState[state] ?? 0 }
            return counts
        }
        messages = Messages(
            inbound: counts(stats.messages.inbound, Self.inboundStates),
            outbound: counts(stats.messages.outbound, Self.outboundStates),
            outboundCalls: stats.messages.outboundCalls, outboundRetries: stats.messages.outboundRetries,
            outboundRetried: stats.messages.outboundRetried,
            outboundRetryRate: stats.outboundRetryRate
        )
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(unitId, forKey: .unitId)
        try container.encode(unitSlug, forKey: .unitSlug)
        try container.encode(since, forKey: .since)
        try container.encode(until, forKey: .until)
        try container.encode(webhooks, forKey: .webhooks)
        try container.encode(messages, forKey: .messages)
    }

    private enum CodingKeys: String, CodingKey {
        case unitId, unitSlug, since, until, webhooks, messages
    }

    /// "99.2%", or "n/a" without a denominator.
    static func percent(_ rate: Double?) -> String {
        rate.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a"
    }

    func text(periodName: String) -> String {
        let scope = unitSlug.map { "unit \($0)" } ?? "all units"
        var rows: [(String, String, String)] = [
            ("Webhooks received", "\(webhooks.received)", "distinct bodies stored (a provider's retries count once)"),
            ("  applied", "\(webhooks.applied)", ""),
            ("  ignored", "\(webhooks.ignored)", "nothing for crm in them"),
            ("  unknown instance", "\(webhooks.unknownInstance)", ""),
            ("  failed", "\(webhooks.failed)", webhooks.failed > 0 ? "crm webhook replay --failed" : ""),
            ("  invalid", "\(webhooks.invalid)", ""),
            ("  pending", "\(webhooks.pending)", webhooks.pending > 0 ? "in flight, or applied when the listener starts" : ""),
        ]
        if webhooks.duplicate > 0 { rows.insert(("  duplicate", "\(webhooks.duplicate)", ""), at: 3) }
        rows += [
            ("Success rate", Self.percent(webhooks.successRate), "applied, ignored, duplicate over those plus failed and invalid"),
            ("Unknown-instance rate", Self.percent(webhooks.unknownInstanceRate), ""),
            ("Re-applied", "\(webhooks.reapplied)", "applied more than once (retried, replayed or recovered)"),
            ("Dedupe rate", "n/a", "not in the database: crm_webhook_dedupes_total on GET /metrics"),
            ("", "", ""),
            ("Messages in", "\(messages.inbound["total"] ?? 0)", Self.breakdown(messages.inbound, Self.inboundStates)),
            ("Messages out", "\(messages.outbound["total"] ?? 0)", Self.breakdown(messages.outbound, Self.outboundStates)),
            ("Outbound retry rate", Self.percent(messages.outboundRetryRate),
             "\(messages.outboundRetries) of \(messages.outboundCalls) provider calls were retries"),
        ]
        let labelWidth = rows.map(\.0.count).max() ?? 0
        let valueWidth = rows.map(\.1.count).max() ?? 0
        let lines = rows.map { label, value, note -> String in
            guard !label.isEmpty else { return "" }
            let padded = label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: valueWidth - value.count) + value
            return note.isEmpty ? padded : padded + "   " + note
        }
        let header = "Operating figures, \(scope), last \(periodName) (\(since.shortDisplay) → \(until.shortDisplay))"
        return ([header, ""] + lines).joined(separator: "\n")
    }

    private static func breakdown(_ counts: [String: Int], _ states: [MessageState]) -> String {
        states.map { "\($0.rawValue) \(counts[$0.rawValue] ?? 0)" }.joined(separator: " · ")
    }
}
