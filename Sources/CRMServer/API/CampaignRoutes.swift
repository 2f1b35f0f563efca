import CRMCore
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/campaigns`: a unit's campaigns listed, created, shown with their funnel, dispatched to the
/// listener's campaign worker, paused, resumed and cancelled — `crm campaigns`' use cases behind a
/// bearer token. Super admins manage every unit's, unit admins their own's; agents none (403 in
/// their unit). Another unit's campaign is 404, as is an unknown one.
struct CampaignRoutes {
    let api: APIRoutes

    func add(to group: RouterGroup<ListenerContext>) {
        group.get("/api/campaigns") { request, context in try await list(request, context) }
        group.post("/api/campaigns") { request, context in try await create(request, context) }
        group.get("/api/campaigns/:id") { request, context in try await show(request, context) }
        group.post("/api/campaigns/:id/dispatch") { request, context in try await dispatch(request, context) }
        group.post("/api/campaigns/:id/pause") { request, context in try await change(.pause, request, context) }
        group.post("/api/campaigns/:id/resume") { request, context in try await change(.resume, request, context) }
        group.post("/api/campaigns/:id/cancel") { request, context in try await change(.cancel, request, context) }
    }

    /// Newest first, each with its funnel; every unit's for a super admin who names none.
    private func list(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let query = APIListQuery(request)
        var filter = CampaignFilter()
        if principal.role == .superAdmin, query.text("unitId") == nil {
            filter.unitId = nil
        } else {
            filter.unitId = try await api.unit(query.text("unitId"), for: principal, action: .manageCampaigns).id
        }
        if let status = query.text("status") {
            guard let value = CampaignStatus(rawValue: status.lowercased()) else {
                throw APIError.invalidRequest(
                    "The parameter 'status' must be one of \(CampaignStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            filter.status = value
        }
        let limit = try query.limit()
        filter.after = try query.cursor(CampaignCursor.init(apiText:))
        filter.limit = limit + 1
        let campaigns = try await api.store.campaigns(filter)
        var slugs: [UUID: String] = [:]
        var rows: [(Campaign, CampaignView)] = []
        // The extra row only tells whether another page follows: no funnel for it.
        let funnels = try await api.store.campaignFunnels(ids: campaigns.prefix(limit).map(\.id))
        for (index, campaign) in campaigns.enumerated() {
            if slugs[campaign.unitId] == nil { slugs[campaign.unitId] = try await api.store.unit(id: campaign.unitId)?.slug ?? "" }
            let funnel = index < limit ? funnels[campaign.id] ?? CampaignFunnel() : nil
            rows.append((campaign, CampaignView(campaign, unitSlug: slugs[campaign.unitId] ?? "", funnel: funnel)))
        }
        let page = APIPage("campaigns", rows: rows, limit: limit, item: \.1) { CampaignCursor($0.0).apiText }
        return Response.apiJSON(page, status: .ok)
    }

    private func show(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let (campaign, unit) = try await lookup(request, context)
        let funnel = try await api.store.campaignFunnel(id: campaign.id)
        return Response.apiJSON(CampaignView(campaign, unitSlug: unit.slug, funnel: funnel), status: .ok)
    }

    /// `crm campaigns dispatch --detach`: marked running, the listener's campaign worker sends it (202).
    private func dispatch(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let (campaign, unit) = try await lookup(request, context)
        let control = CampaignControl(store: api.store)
        let readiness: CampaignControl.Readiness
        do { readiness = try await control.readiness(of: campaign) } catch let error as CRMError where error.kind == .conflict {
            throw Self.stateConflict(error)
        }
        switch readiness {
        case .completed:
            throw APIError(.conflict, "campaign_state", "Campaign \(campaign.id.text) is completed: no recipient is left to send.")
        case .notConnected:
            throw APIError(.conflict, "unit_not_connected", "The unit's WhatsApp number is not connected; the campaign was not started.")
        case .ready:
            let (running, funnel) = try await control.start(campaign)
            var response = Response.apiJSON(CampaignView(running, unitSlug: unit.slug, funnel: funnel), status: .accepted)
            response.headers[.location] = "/api/campaigns/\(campaign.id.text)"
            return response
        }
    }

    /// Pause, resume or cancel, with `crm campaigns pause|resume|cancel`'s rules; 409 when the
    /// change does not apply to the campaign's status.
    private func change(_ change: CampaignControl.Change, _ request: Request, _ context: ListenerContext) async throws -> Response {
        let (campaign, unit) = try await lookup(request, context)
        do {
            let (current, funnel) = try await CampaignControl(store: api.store).apply(change, to: campaign)
            return Response.apiJSON(CampaignView(current, unitSlug: unit.slug, funnel: funnel), status: .ok)
        } catch let error as CRMError where error.kind == .conflict {
            throw Self.stateConflict(error)
        }
    }

    /// The campaign a path names and its unit, checked by the roles policy: unknown, malformed and
    /// another unit's are all 404; an agent's own unit's is 403.
    func lookup(_ request: Request, _ context: ListenerContext) async throws -> (Campaign, BusinessUnit) {
        let principal = try await api.principal(of: request)
        let missing = APIError.notFound("No such campaign.")
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)), let campaign = try await api.store.campaign(id: id) else {
            throw missing
        }
        if let refusal = APIError(AccessPolicy.decide(principal, .manageCampaigns, in: campaign.unitId), notFound: "No such campaign.") {
            throw refusal
        }
        guard let unit = try await api.store.unit(id: campaign.unitId) else { throw missing }
        return (campaign, unit)
    }

    /// A transition the campaign's status does not allow: its message says which status it has.
    static func stateConflict(_ error: CRMError) -> APIError {
        APIError(.conflict, "campaign_state", error.apiMessage ?? error.message)
    }
}

extension CampaignCursor {
    var apiText: String { APICursor.encode([id.text, APICursor.field(createdAt)]) }

    init?(apiText: String) {
        guard let fields = APICursor.decode(apiText, count: 2), let id = UUID(uuidString: fields[0]),
              let createdField = APICursor.date(fields[1]), let created = createdField
        else { return nil }
        self.init(createdAt: created, id: id)
    }
}
