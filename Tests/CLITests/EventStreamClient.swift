import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Testing

/// A Server-Sent Events subscriber for tests: reads `GET /events` in the background and keeps
/// every event it parsed (id, type, data) and the stream's status.
final class EventStreamClient: Sendable {
    struct Event: Sendable {
        var id: String?
        var type: String
        var data: [String: String]
    }

    private let events = NIOLockedValueBox<[Event]>([])
    private let status = NIOLockedValueBox<Int?>(nil)
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    /// Opens the stream; `lastEventId` resumes.
    static func open(_ url: String, token: String?, lastEventId: String? = nil, inQuery: Bool = false) -> EventStreamClient {
        let client = EventStreamClient()
        let task = Task {
            var request = HTTPClientRequest(url: inQuery ? url + "?access_token=\(token ?? "")" : url)
            if let token, !inQuery { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            if let lastEventId { request.headers.add(name: "Last-Event-ID", value: lastEventId) }
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
                client.status.withLockedValue { $0 = Int(response.status.code) }
                var pending = ""
                for try await buffer in response.body {
                    pending += String(buffer: buffer)
                    while let end = pending.range(of: "\n\n") {
                        client.parse(String(pending[..<end.lowerBound]))
                        pending.removeSubrange(..<end.upperBound)
                    }
                }
            } catch {}
        }
        client.task.withLockedValue { $0 = task }
        return client
    }

    private func parse(_ frame: String) {
        var id: String?
        var type = "message"
        var data = ""
        for line in frame.split(separator: "\n") {
            if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
            if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data += line.dropFirst(6) }
        }
        guard !data.isEmpty else { return }
        let object = (try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]) ?? [:]
        let fields = object.mapValues { "\($0)" }
        events.withLockedValue { $0.append(Event(id: id, type: type, data: fields)) }
    }

    var received: [Event] { events.withLockedValue { $0 } }
    var statusCode: Int? { status.withLockedValue { $0 } }

    /// Waits (polling) for an event that matches; `nil` after `seconds`.
    func first(within seconds: Double = 60, where match: (Event) -> Bool) async throws -> Event? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let event = received.first(where: match) { return event }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// Waits for the stream's status line.
    func waitForStatus(within seconds: Double = 30) async throws -> Int? {
        let deadline = Date().addingTimeInterval(seconds)
        while statusCode == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return statusCode
    }

    func close() {
        task.withLockedValue { $0?.cancel() }
    }
}
