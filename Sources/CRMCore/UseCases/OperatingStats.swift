import Foundation

/// The operating figures of a period (`crm stats`), and the rates derived from them. A rate is
/// `nil` when its denominator is zero: "no data" is not "0 %".
package struct OperatingStats: Sendable, Equatable {
    package var period: StatsPeriod
    package var webhooks: WebhookEventTally
    package var messages: MessageTally

    package init(period: StatsPeriod, webhooks: WebhookEventTally, messages: MessageTally) {
        self.period = period
        self.webhooks = webhooks
        self.messages = messages
    }

    /// Reads both tallies of `period`.
    package static func load(_ period: StatsPeriod, from store: any OperatingStatsStore) async throws -> OperatingStats {
        OperatingStats(
            period: period, webhooks: try await store.webhookEventTally(period), messages: try await store.messageTally(period)
        )
    }

    /// Distinct webhook bodies stored in the period (a provider's retries of one body are one row).
    package var webhooksReceived: Int { webhooks.total }

    /// Bodies handled without an error: applied, ignored (nothing for crm in them) and duplicate.
    package var webhooksSucceeded: Int { webhooks[.applied] + webhooks[.ignored] + webhooks[.duplicate] }

    /// Bodies that failed to apply (still failing: `crm webhook replay --failed`) or were rejected as invalid.
    package var webhooksFailed: Int { webhooks[.failed] + webhooks[.invalid] }

    /// succeeded / (succeeded + failed + invalid). Pending bodies (in flight, or left by a crash)
    /// and bodies about an unknown instance have no verdict yet or are counted on their own.
    package var successRate: Double? { Self.ratio(webhooksSucceeded, webhooksSucceeded + webhooksFailed) }

    /// Bodies that named an instance the unit does not own, over every body stored.
    package var unknownInstanceRate: Double? { Self.ratio(webhooks[.unknownInstance], webhooksReceived) }

    /// The share of provider send calls that were retries (as `crm_outbound_retries_total` over
    /// `crm_outbound_sends_total` on /metrics); none without calls.
    package var outboundRetryRate: Double? { Self.ratio(messages.outboundRetries, messages.outboundCalls) }

    static func ratio(_ part: Int, _ whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }
}
