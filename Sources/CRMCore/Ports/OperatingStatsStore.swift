import Foundation

/// The figures `crm stats` reads from the database: counts over a period, by unit or for all units.
/// Only what the rows can tell: a duplicate webhook is answered from the stored row and never
/// written, so the dedupe rate lives in the listener's `/metrics`, not here.
package protocol OperatingStatsStore: Sendable {
    /// The webhook bodies stored (`webhook_events`) whose `received_at` is in the period.
    func webhookEventTally(_ period: StatsPeriod) async throws -> WebhookEventTally
    /// The messages whose `created_at` is in the period.
    func messageTally(_ period: StatsPeriod) async throws -> MessageTally
}

/// The rows a figure covers: `since ≤ time ≤ until`, of one unit or of all.
package struct StatsPeriod: Sendable, Equatable {
    package var unitId: UUID?
    package var since: Date
    package var until: Date

    package init(unitId: UUID? = nil, since: Date, until: Date) {
        self.unitId = unitId
        self.since = since
        self.until = until
    }
}

/// Stored webhook bodies by result.
package struct WebhookEventTally: Sendable, Equatable {
    package var byResult: [WebhookEventResult: Int]
    /// Bodies applied more than once (`attempts > 1`): by a provider's retry after a failure, by
    /// `crm webhook replay` (also of an applied body), or at a listener's start after a crash.
    package var reapplied: Int

    package init(byResult: [WebhookEventResult: Int] = [:], reapplied: Int = 0) {
        self.byResult = byResult
        self.reapplied = reapplied
    }

    package subscript(_ result: WebhookEventResult) -> Int { byResult[result] ?? 0 }
    package var total: Int { byResult.values.reduce(0, +) }
}

/// Messages by direction and status, and the provider calls of the outbound ones. An outbound
/// message's `retry_count` is the number of send calls crm made for it (1 when the first
/// succeeded, at most 3); 0 for one not attempted yet, or sent from the phone (its echo).
package struct MessageTally: Sendable, Equatable {
    package var inbound: [MessageState: Int]
    package var outbound: [MessageState: Int]
    /// Provider send calls: the sum of `retry_count` over the outbound messages.
    package var outboundCalls: Int
    /// Calls after a message's first: the sum of `retry_count - 1` where it is above 1.
    package var outboundRetries: Int
    /// Outbound messages sent more than once (`retry_count > 1`).
    package var outboundRetried: Int

    package init(
        inbound: [MessageState: Int] = [:], outbound: [MessageState: Int] = [:], outboundCalls: Int = 0, outboundRetries: Int = 0,
        outboundRetried: Int = 0
    ) {
        self.inbound = inbound
        self.outbound = outbound
        self.outboundCalls = outboundCalls
        self.outboundRetries = outboundRetries
        self.outboundRetried = outboundRetried
    }

    package var inboundTotal: Int { inbound.values.reduce(0, +) }
    package var outboundTotal: Int { outbound.values.reduce(0, +) }
}
