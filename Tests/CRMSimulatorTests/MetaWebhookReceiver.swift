import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A Meta webhook endpoint on a free loopback port, as crm's listener will be: it answers the
/// verification handshake (`hub.challenge` when mode and token match, 403 otherwise) and records
/// every POST with its signature header.
actor MetaWebhookReceiver {
    struct Post: Sendable {
        var body: Data
        var signature: String?
        var userAgent: String?
        var contentType: String?
        var at = ContinuousClock.now
    }

    struct Handshake: Sendable {
        var mode: String?
        var verifyToken: String?
        var challenge: String?
    }

    let verifyToken: String
    private(set) var posts: [Post] = []
    private(set) var handshakes: [Handshake] = []
    private var task: Task<Void, any Error>?
    private var group: ServiceGroup?
    private(set) var port = 0

    init(verifyToken: String) {
        self.verifyToken = verifyToken
    }

    func start() async throws {
        let router = Router(context: BasicRequestContext.self)
        router.get("/hook") { request, _ in
            let query = request.uri.queryParameters
            let handshake = Handshake(
                mode: query.get("hub.mode"), verifyToken: query.get("hub.verify_token"), challenge: query.get("hub.challenge"))
            guard await self.record(handshake), let challenge = handshake.challenge else { return Response(status: .forbidden) }
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: challenge)))
        }
        router.post("/hook") { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            await self.record(Post(
                body: Data(buffer.readableBytesView), signature: request.headers[HTTPField.Name("X-Hub-Signature-256")!],
                userAgent: request.headers[.userAgent], contentType: request.headers[.contentType]))
            return Response(status: .ok)
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

    /// Records the handshake; `true` when it should pass (Meta's rule: mode subscribe, our token).
    private func record(_ handshake: Handshake) -> Bool {
        handshakes.append(handshake)
        return handshake.mode == "subscribe" && handshake.verifyToken == verifyToken
    }

    private func record(_ post: Post) { posts.append(post) }

    /// Waits (polling, up to `timeout`) until `count` posts arrived; returns them in order.
    func waitForPosts(count: Int, timeout: Duration = .seconds(30)) async throws -> [Post] {
        let deadline = ContinuousClock.now + timeout
        while posts.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        return posts
    }
}
