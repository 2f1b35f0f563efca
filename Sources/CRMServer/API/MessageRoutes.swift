import CRMCore
import Foundation
import HTTPTypes
import Hummingbird

/// `POST /messages`, `GET /messages`, `GET /messages/:id`, behind a bearer token. Unit-bound
/// roles act in their own unit (`unitId` may be left out); another unit's messages are 404.
struct MessageRoutes {
    let api: APIRoutes
    static let maxPage = 200

    struct SendBody: Decodable {
        var unitId: String?
        var phone: String
        var message: String
        var clientMessageId: String?
    }

    func add(to group: RouterGroup<ListenerContext>) {
        group.post("/messages") { request, context in try await send(request, context) }
        group.get("/messages") { request, context in try await list(request, context) }
        group.get("/messages/:id") { request, context in try await show(request, context) }
    }

    /// Stores the message as queued under its client message id, with `crm send`'s rules, and
    /// answers 202: the listener's outbound worker sends it. The same id again answers the same
    /// message (`Idempotent-Replayed: true`); with another phone or text it is 409.
    private func send(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let body = try await APIJSON.decode(SendBody.self, from: request, limit: api.configuration.maxBodyBytes)
        let unit = try await api.unit(body.unitId, for: principal, action: .sendMessages)
        return try await send(body, in: unit)
    }

    /// Queues `body` in `unit` (already checked by the roles policy): `POST /messages` and its
    /// deprecated alias `POST /units/:unitId/whatsapp/send`.
    func send(_ body: SendBody, in unit: BusinessUnit) async throws -> Response {
        let text = body.message
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw APIError.invalidRequest("The field 'message' is empty.") }
        guard text.count <= SendService.maxTextLength else {
            throw APIError.invalidRequest("The field 'message' has \(text.count) characters; WhatsApp takes at most \(SendService.maxTextLength).")
        }
        if let key = body.clientMessageId, key.isEmpty || key.count > 200 {
            throw APIError.invalidRequest("The field 'clientMessageId' must have 1 to 200 characters.")
        }
        let service = SendService(store: api.store)
        let outcome: SendService.Outcome
        do {
            let (prepared, connection) = try await service.prepare(
                unit: unit, to: body.phone, content: .text(text), clientMessageId: body.clientMessageId, wording: .typed)
            outcome = try await service.send(prepared, connection: connection, provider: nil, queueOnly: true)
        } catch let rejection as SendRejection {
            throw Self.error(rejection)
        } catch let error as CRMError where error.kind == .invalidInput {
            // The phone: the normalizer's message never repeats the number.
            throw APIError(.badRequest, "invalid_phone", "The field 'phone': \(error.apiMessage ?? error.message)")
        } catch let error as CRMError where error.kind == .conflict {
            throw APIError(.conflict, "idempotency_conflict",
                "The clientMessageId was already used for another phone or text: use a new clientMessageId.")
        }
        guard let record = try await api.store.message(id: outcome.message.id) else { throw APIError.notFound("The message was deleted meanwhile.") }
        var response = Response.apiJSON(APIMessage(record: record), status: .accepted)
        response.headers[HTTPField.Name("Idempotent-Replayed")!] = outcome.createdNow ? "false" : "true"
        response.headers[.location] = "/messages/\(record.message.id.text)"
        return response
    }

    private func list(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let query = request.uri.queryParameters
        let unit = try await api.unit(query.get("unitId"), for: principal, action: .readMessages)
        var filter = MessageFilter(unitId: unit.id, limit: Self.maxPage)
        if let contact = query.get("contact") {
            do { filter.contactPhone = try PhoneInput.digits(contact) } catch { throw APIError.invalidRequest("The parameter 'contact' is not a phone number with its country code.") }
        }
        if let direction = query.get("direction") {
            switch direction.lowercased() {
            case "in", "inbound": filter.direction = .inbound
            case "out", "outbound": filter.direction = .outbound
            default: throw APIError.invalidRequest("The parameter 'direction' must be inbound or outbound.")
            }
        }
        if let status = query.get("status") {
            guard let state = MessageState(rawValue: status.lowercased()) else {
                throw APIError.invalidRequest("The parameter 'status' must be one of \(MessageState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            filter.state = state
        }
        if let since = query.get("since") {
            guard let date = APIListQuery.date(since) else {
                throw APIError.invalidRequest("The parameter 'since' must be an ISO 8601 time, such as 2026-11-25T13:00:00Z.")
            }
            filter.since = date
        }
        var limit = 50
        if let text = query.get("limit") {
            guard let value = Int(text), (1...Self.maxPage).contains(value) else {
                throw APIError.invalidRequest("The parameter 'limit' must be between 1 and \(Self.maxPage).")
            }
            limit = value
        }
        if let text = query.get("cursor") {
            guard let cursor = APIMessageCursor.decode(text) else { throw APIError.invalidRequest("The parameter 'cursor' is not one this API gave.") }
            filter.before = cursor
        }
        // One more than asked for tells whether another page follows.
        filter.limit = limit + 1
        let records = try await api.store.messages(filter)
        let page = Array(records.prefix(limit))
        let next = records.count > limit ? page.last.map { APIMessageCursor.encode(MessageCursor($0.message)) } : nil
        return Response.apiJSON(APIMessagePage(messages: page.map(APIMessage.init), nextCursor: next), status: .ok)
    }

    private func show(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let missing = APIError.notFound("No such message.")
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let record = try await api.store.message(id: id)
        else { throw missing }
        if let refusal = APIError(AccessPolicy.decide(principal, .readMessages, in: record.message.unitId), notFound: "No such message.") {
            throw refusal
        }
        return Response.apiJSON(APIMessage(record: record), status: .ok)
    }

    /// A send rule's refusal in the API's terms; nothing was stored.
    static func error(_ rejection: SendRejection) -> APIError {
        switch rejection {
        case .notConnected:
            APIError(.conflict, "unit_not_connected", "The unit's WhatsApp number is not connected; nothing was sent.")
        case .refused(.optedOut):
            APIError(.unprocessableContent, "contact_opted_out", "The contact has opted out of this unit's messages; nothing was sent.")
        case .refused(.outsideServiceWindow):
            APIError(.unprocessableContent, "outside_service_window",
                "Meta takes free text only within 24 hours of the contact's last message; nothing was sent.")
        case .refused(.templateUnsupported):
            APIError(.unprocessableContent, "template_unsupported", "This unit's provider has no message templates; nothing was sent.")
        }
    }
}
