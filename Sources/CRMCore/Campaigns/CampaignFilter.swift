import Foundation

/// Where a page of campaigns ends: the last campaign's creation time and id (newest first).
package struct CampaignCursor: Sendable, Hashable {
    package var createdAt: Date
    package var id: UUID

    package init(createdAt: Date, id: UUID) {
        self.createdAt = createdAt
        self.id = id
    }

    package init(_ campaign: Campaign) {
        self.init(createdAt: campaign.createdAt, id: campaign.id)
    }
}

/// Which campaigns a list shows, newest first: the HTTP API's `GET /api/campaigns`.
package struct CampaignFilter: Sendable, Hashable {
    /// Every unit's when nil (super admins).
    package var unitId: UUID?
    package var status: CampaignStatus?
    /// Only campaigns after this one in the list order (the next page).
    package var after: CampaignCursor?
    package var limit: Int

    package init(unitId: UUID? = nil, status: CampaignStatus? = nil, after: CampaignCursor? = nil, limit: Int = 50) {
        self.unitId = unitId
        self.status = status
        self.after = after
        self.limit = limit
    }
}
