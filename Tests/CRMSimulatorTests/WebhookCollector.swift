import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A real HTTP receiver on a free loopback port that records every webhook the simulator posts.
actor WebhookCollector {
    struct Received: Sendable {
        var path: String
        var body: Data
        /// The envelope's `event` field.
        var event: String
        var at = ContinuousClock.now
    }

    private(set) var received: [Received] = []
    private var task: Task<Void, any Error>?
    private var group: ServiceGroup?
    private(set) var port = 0
    /// The status the receiver answers with (to exercise retries).
    var answerStatus: HTTPResponse.Status = .ok

    func start() async throws {
        let router = Router(context: BasicRequestContext.self)
        router.post("**") { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let body = Data(buffer.readableBytesView)
            return Response(status: await self.record(path: request.uri.path, body: body))
        }
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: SimulatorHarness.quietLogger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: SimulatorHarness.quietLogger))
        self.group = group
        task = Task { try await group.run() }
        var iterator = bound.makeAsyncIterator()
        port = await iterator.next() ?? 0
    }

    func stop() async {
        await group?.triggerGracefulShutdown()
        _ = await task?.result
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    func setAnswerStatus(_ status: HTTPResponse.Status) { answerStatus = status }

    private func record(path: String, body: Data) -> HTTPResponse.Status {
        let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        received.append(Received(path: path, body: body, event: object?["event"] as? String ?? ""))
        return answerStatus
    }

    /// Waits (polling, up to `timeout`) until `count` webhooks of `event` arrived; returns them in order.
    /// Generous: an instance posts its webhooks one at a time, to a collector in a loaded test process.
    func waitFor(_ event: String, count: Int = 1, timeout: Duration = .seconds(180)) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let matching = received.filter { $0.event == event }
            if matching.count >= count || ContinuousClock.now >= deadline { return matching }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
