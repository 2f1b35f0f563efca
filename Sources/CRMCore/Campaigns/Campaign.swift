import Foundation

/// Where a campaign is in its life: created as a `draft`, `running` while dispatchers send it,
/// `paused` (by hand or Ctrl-C) until resumed, then `completed` when no recipient is left to send,
/// or `cancelled`.
package enum CampaignStatus: String, Sendable, Codable, CaseIterable {
    case draft, running, paused, completed, cancelled

    /// Statuses a campaign can be dispatched (or resumed) from.
    package static let dispatchable: Set<CampaignStatus> = [.draft, .running, .paused]
}

/// One recipient's state. `claimed`: a dispatcher holds it (leased). `uncertain`: its dispatcher
/// died during the provider call, so it may have been sent; only `crm campaigns retry --uncertain`
/// sends it again.
package enum CampaignRecipientStatus: String, Sendable, Codable, CaseIterable {
    case pending, claimed, sent, failed, skipped, uncertain
}

/// How a campaign's sends are spaced: `rate`, a random delay of up to `jitter` inside each send's
/// slot (the average rate stays `rate`), and after every `batchSize` sends a `batchPause`.
package struct CampaignPacing: Sendable, Equatable {
    package var rate: SendRate
    package var jitter: Duration
    package var batchSize: Int?
    package var batchPause: Duration
    package var window: SendWindow?

    package init(rate: SendRate, jitter: Duration = .zero, batchSize: Int? = nil, batchPause: Duration = .zero, window: SendWindow? = nil) {
        self.rate = rate
        self.jitter = jitter
        self.batchSize = batchSize
        self.batchPause = batchPause
        self.window = window
    }

    /// The defaults that keep a number safe (docs/campaigns.md says why). Evolution and Z-API drive
    /// a WhatsApp Web session: 20 messages a minute, each at a random moment of its 3-second slot,
    /// and a 5-minute pause after every 100. Meta's Cloud API takes 80 messages/s per number.
    package static func defaults(for provider: ProviderKind) -> CampaignPacing {
        switch provider {
        case .evolution, .zapi:
            CampaignPacing(rate: SendRate.defaultRate(for: provider), jitter: .seconds(3), batchSize: 100, batchPause: .seconds(300))
        case .meta:
            CampaignPacing(rate: SendRate.defaultRate(for: provider))
        }
    }
}

/// A stored campaign.
package struct Campaign: Sendable, Equatable {
    package var id: UUID
    package var unitId: UUID
    package var name: String
    /// The text as written, with its `{{variables}}`; each recipient's rendering is stored with it.
    package var bodyTemplate: String
    package var status: CampaignStatus
    package var pacing: CampaignPacing
    package var startedAt: Date?
    package var completedAt: Date?
    package var cancelledAt: Date?
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: UUID, unitId: UUID, name: String, bodyTemplate: String, status: CampaignStatus, pacing: CampaignPacing,
        startedAt: Date? = nil, completedAt: Date? = nil, cancelledAt: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.unitId = unitId
        self.name = name
        self.bodyTemplate = bodyTemplate
        self.status = status
        self.pacing = pacing
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.cancelledAt = cancelledAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// How many recipients are in each state, and what the webhooks brought back for those sent.
package struct CampaignFunnel: Sendable, Equatable {
    package var recipients = 0
    package var pending = 0
    package var claimed = 0
    package var sent = 0
    package var failed = 0
    package var skipped = 0
    package var uncertain = 0
    /// Of those sent: delivered (or read), read.
    package var delivered = 0
    package var read = 0
    /// Sent recipients who wrote back after the send.
    package var replied = 0
    /// Left out because the contact had opted out when the campaign was created.
    package var optedOutBefore = 0
    /// Sent recipients who opted out after the send.
    package var optedOutAfter = 0

    package init() {}

    /// Recipients no dispatcher has finished with: pending or claimed.
    package var remaining: Int { pending + claimed }
}
