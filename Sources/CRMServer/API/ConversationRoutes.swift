import CRMCore
import Foundation
import Hummingbird

/// `GET /conversations`: a unit's conversations, most recent activity first (the read path of
/// `crm conversations list`), with filters and cursor pages.
struct ConversationRoutes {
    let api: APIRoutes

    func add(to group: RouterGroup<ListenerContext>) {
        group.get("/conversations") { request, context in try await list(request, context) }
    }

    private func list(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let query = APIListQuery(request)
        let unit = try await api.unit(query.text("unitId"), for: principal, action: .readMessages)
        let limit = try query.limit()
        let filter = ConversationFilter(
            unitId: unit.id, contactPhone: try query.phone("contact"), since: try query.date("since"),
            after: try query.cursor(ConversationCursor.init(apiText:)), limit: limit + 1)
        let records = try await api.store.conversations(filter)
        let page = APIPage("conversations", rows: records, limit: limit, item: APIConversation.init) {
            ConversationCursor($0.conversation).apiText
        }
        return Response.apiJSON(page, status: .ok)
    }
}
