import CRMCore
import Foundation
import Hummingbird

/// `GET /contacts`: a unit's contacts, most recently updated first (the read path of `crm
/// contacts list`), with filters and cursor pages.
struct ContactRoutes {
    let api: APIRoutes

    func add(to group: RouterGroup<ListenerContext>) {
        group.get("/contacts") { request, context in try await list(request, context) }
    }

    private func list(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let query = APIListQuery(request)
        let unit = try await api.unit(query.text("unitId"), for: principal, action: .readMessages)
        let limit = try query.limit()
        let filter = ContactFilter(
            unitId: unit.id, phone: try query.phone("phone"), optedOut: try query.bool("optedOut"), since: try query.date("since"),
            after: try query.cursor(ContactCursor.init(apiText:)), limit: limit + 1)
        let contacts = try await api.store.contacts(filter)
        let page = APIPage("contacts", rows: contacts, limit: limit, item: APIContact.init) { ContactCursor($0).apiText }
        return Response.apiJSON(page, status: .ok)
    }
}
