import Foundation

/// A campaign's status changed by hand — `crm campaigns pause|resume|cancel|dispatch --detach` and
/// the HTTP API's `POST /api/campaigns/:id/pause|resume|cancel|dispatch` — with the same rules for
/// both: a change that does not apply to the campaign's current status is a conflict that says so.
package struct CampaignControl: Sendable {
    package typealias Store = CampaignStore & ConnectionStore

    package enum Change: Sendable, CaseIterable {
        /// Running or draft → paused: dispatchers stop claiming within a second; sends in flight finish.
        case pause
        /// Paused → running: the listener's campaign worker (or `crm campaigns dispatch`) sends it.
        case resume
        /// Draft, running or paused → cancelled: recipients not yet sent are skipped, for good.
        case cancel

        var from: Set<CampaignStatus> {
            switch self {
            case .pause: [.running, .draft]
            case .resume: [.paused]
            case .cancel: [.draft, .running, .paused]
            }
        }

        var refusal: String {
            switch self {
            case .pause: "only a running or draft campaign can be paused"
            case .resume: "only a paused campaign can be resumed"
            case .cancel: "only a draft, running or paused campaign can be cancelled"
            }
        }
    }

    /// Whether a campaign can be sent now.
    package enum Readiness: Sendable {
        /// Every recipient has been dealt with: nothing to send.
        case completed
        /// The unit's number is not connected.
        case notConnected
        case ready(WhatsAppConnection)
    }

    let store: any Store
    let now: @Sendable () -> Date

    package init(store: any Store, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// The campaign after `change`, with its funnel; a conflict naming the current status when
    /// the change does not apply to it.
    package func apply(_ change: Change, to campaign: Campaign) async throws -> (campaign: Campaign, funnel: CampaignFunnel) {
        let changed: Bool
        switch change {
        case .cancel: changed = try await store.cancelCampaign(id: campaign.id, at: now())
        case .pause: changed = try await store.changeCampaignStatus(id: campaign.id, from: change.from, to: .paused, at: now())
        case .resume: changed = try await store.changeCampaignStatus(id: campaign.id, from: change.from, to: .running, at: now())
        }
        let current = try await store.campaign(id: campaign.id) ?? campaign
        guard changed else {
            throw CRMError.conflict("Campaign \(campaign.id.uuidString.lowercased()) is \(current.status.rawValue): \(change.refusal).")
        }
        return (current, try await store.campaignFunnel(id: campaign.id))
    }

    /// Whether the campaign can be sent; a cancelled one is a conflict.
    package func readiness(of campaign: Campaign) async throws -> Readiness {
        switch campaign.status {
        case .cancelled: throw CRMError.conflict("Campaign \(campaign.id.uuidString.lowercased()) was cancelled: it cannot be sent.")
        case .completed: return .completed
        case .draft, .running, .paused: break
        }
        guard let connection = try await store.connection(unitId: campaign.unitId), connection.status.state == .connected else {
            return .notConnected
        }
        return .ready(connection)
    }

    /// Marks the campaign running (unless it no longer may be sent): dispatchers — the listener's
    /// campaign worker, `crm campaigns dispatch` — send it. Returns it with its funnel.
    package func start(_ campaign: Campaign) async throws -> (campaign: Campaign, funnel: CampaignFunnel) {
        _ = try await store.changeCampaignStatus(id: campaign.id, from: CampaignStatus.dispatchable, to: .running, at: now())
        let current = try await store.campaign(id: campaign.id) ?? campaign
        return (current, try await store.campaignFunnel(id: campaign.id))
    }
}
