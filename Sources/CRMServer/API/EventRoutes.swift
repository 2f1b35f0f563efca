import CRMCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /events`: Server-Sent Events of the caller's units (every unit for a super admin):
/// `message.created`, `message.status`, `connection.changed`, and `campaign.progress` for roles
/// that manage campaigns. The token comes in `Authorization: Bearer` or, for browsers' EventSource
/// (which cannot set headers), `?access_token=`. Each event's id is its resume point: a client
/// that reconnects with `Last-Event-ID` gets what changed since (up to 15 minutes back).
struct EventRoutes {
    let api: APIRoutes
    /// How far back a `Last-Event-ID` may reach.
    static let longestResume: TimeInterval = 15 * 60
    static let heartbeat: Duration = .seconds(15)

    func add(to group: RouterGroup<ListenerContext>) {
        group.get("/events") { request, context in try await events(request, context) }
    }

    private func events(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let authorization = request.headers[.authorization]
            ?? request.uri.queryParameters.get("access_token").map { "Bearer \($0)" }
        let principal = try await api.principal(authorization: authorization)
        let unitIds: [UUID]? = principal.role == .superAdmin ? nil : [principal.unitId].compactMap { $0 }
        let campaigns = AccessPolicy.decide(principal, .manageCampaigns, in: principal.unitId) == .allowed
        let now = Date()
        let resume = (request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters.get("lastEventId"))
            .flatMap(LiveEventCursor.date)
        let start = max(min(resume ?? now, now), now.addingTimeInterval(-Self.longestResume))
        let feed = api.events.feed
        // The stream ends when the token would have expired: the client reconnects with a fresh one.
        let ends = ContinuousClock.now + .seconds(api.configuration.accessTokenLifetime)
        let hub = api.events
        let body = ResponseBody { writer in
            // Joined before the catch-up read, so that nothing falls between the two; what both
            // bring is sent once (`admit`).
            let (id, batches) = await hub.subscribe(LiveEventHub.Filter(unitIds: unitIds.map(Set.init), campaigns: campaigns))
            defer { Task { await hub.unsubscribe(id) } }
            var subscription = LiveEventFeed.Subscription(from: start, resuming: resume != nil)
            let encoder = APIJSON.encoder()
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            // What a resuming client missed (page by page), and the running campaigns' progress.
            for _ in 0..<100 {
                let missed = try await feed.poll(&subscription, unitIds: unitIds, campaigns: campaigns)
                if !missed.isEmpty { try await writer.write(Self.frames(missed, cursor: subscription.cursor, encoder: encoder)) }
                if missed.count < feed.pageSize { break }
            }
            var quiet = ContinuousClock.now
            for await batch in batches {
                guard ContinuousClock.now < ends, !Task.isShuttingDownGracefully else { break }
                let events = subscription.admit(batch)
                if !events.isEmpty {
                    try await writer.write(Self.frames(events, cursor: subscription.cursor, encoder: encoder))
                    quiet = ContinuousClock.now
                } else if ContinuousClock.now - quiet >= Self.heartbeat {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    quiet = ContinuousClock.now
                }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: body)
    }

    static func frames(_ events: [LiveEvent], cursor: Date, encoder: JSONEncoder) -> ByteBuffer {
        ByteBuffer(string: events.map { frame($0, cursor: cursor, encoder: encoder) }.joined())
    }

    /// One SSE frame; its id is the feed's cursor after it (what a reconnecting client hands back).
    static func frame(_ event: LiveEvent, cursor: Date, encoder: JSONEncoder) -> String {
        var data: [String: LiveEventValue] = event.fields
        data["unitId"] = .text(event.unitId.uuidString.lowercased())
        data["id"] = .text(event.subjectId.uuidString.lowercased())
        data["at"] = .text(event.changedAt.ISO8601Format())
        let json = (try? encoder.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let id = LiveEventCursor.text(event.kind == .campaignProgress ? cursor : min(cursor, event.changedAt))
        return "id: \(id)\nevent: \(event.kind.rawValue)\ndata: \(json)\n\n"
    }
}
