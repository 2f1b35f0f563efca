import CRMCore
import Foundation

/// What `crm webhook replay` prints for one event: what it was, what it became and why.
struct WebhookReplayView: Encodable {
    /// The `result` of an event that could not be replayed at all (its unit lost its connection…).
    static let notReplayed = "not_replayed"

    var eventId: String
    var unitId: String?
    var provider: String
    var eventType: String
    var receivedAt: Date
    /// The stored result before the replay.
    var previousResult: String
    /// applied, ignored, unknown_instance, failed, or not_replayed.
    var result: String
    /// What each event of the body did, e.g. "message stored", "message already stored".
    var events: [String]
    var error: String?

    init(_ replay: WebhookIngestion.Replay) {
        self.init(replay.event, result: "", events: [], error: nil)
        switch replay.outcome {
        case .processed(_, let result, let events):
            self.result = result.rawValue
            self.events = events.map(Self.describe)
        case .failed(_, let reason):
            result = WebhookEventResult.failed.rawValue
            error = reason
        default:
            // apply() answers processed or failed only.
            result = WebhookEventResult.failed.rawValue
            error = "unexpected outcome"
        }
    }

    init(notReplayed event: StoredWebhookEvent, reason: String) {
        self.init(event, result: Self.notReplayed, events: [], error: reason)
    }

    private init(_ event: StoredWebhookEvent, result: String, events: [String], error: String?) {
        eventId = event.id.text
        unitId = event.unitId?.text
        provider = event.provider.rawValue
        eventType = event.eventType
        receivedAt = event.receivedAt
        previousResult = event.result.rawValue
        self.result = result
        self.events = events
        self.error = error
    }

    /// Always writes every key (null when absent), so scripts can rely on the shape.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eventId, forKey: .eventId)
        try container.encode(unitId, forKey: .unitId)
        try container.encode(provider, forKey: .provider)
        try container.encode(eventType, forKey: .eventType)
        try container.encode(receivedAt, forKey: .receivedAt)
        try container.encode(previousResult, forKey: .previousResult)
        try container.encode(result, forKey: .result)
        try container.encode(events, forKey: .events)
        try container.encode(error, forKey: .error)
    }

    private enum CodingKeys: String, CodingKey {
        case eventId, unitId, provider, eventType, receivedAt, previousResult, result, events, error
    }

    static func describe(_ result: WebhookIngestion.EventResult) -> String {
        switch result {
        case .connection(let state): "connection \(state.rawValue)"
        case .messageStored: "message stored"
        case .messageDuplicate: "message already stored"
        case .status(.advanced(let state)): "status now \(state.rawValue)"
        case .status(.unchanged): "status unchanged"
        case .status(.pending): "receipt kept until its message arrives"
        case .ignored(let reason): "ignored: \(reason)"
        case .unknownInstance: "unknown instance"
        }
    }

    /// A table: one row per event, the previous and the new result, what happened.
    static func text(_ views: [WebhookReplayView], output: Output) -> String {
        var table = Table("EVENT", "PROVIDER", "TYPE", "RECEIVED", "WAS", "NOW", "DETAIL")
        table.maxCellWidth = 80
        for view in views {
            let detail = view.error ?? (view.events.isEmpty ? "-" : view.events.joined(separator: ", "))
            table.add(view.eventId, view.provider, view.eventType, view.receivedAt.shortDisplay, view.previousResult, view.result, detail)
        }
        return output.table(table)
    }
}
