import Foundation
import Hummingbird
import NIOCore

/// Answers Meta's webhook verification (`GET …?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`)
/// on loopback, as `crm webhook serve` will: the stand-in lets the Meta connect flow be tested
/// before the listener exists. It echoes the challenge only for the expected verify token.
final class MetaVerificationResponder: Sendable {
    let verifyToken: String
    private let task: Task<Void, any Error>
    let port: Int

    private init(verifyToken: String, task: Task<Void, any Error>, port: Int) {
        self.verifyToken = verifyToken
        self.task = task
        self.port = port
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    static func start(verifyToken: String) async throws -> MetaVerificationResponder {
        let router = Router()
        router.get("/webhooks/whatsapp/meta/:secret") { request, _ -> Response in
            let query = request.uri.queryParameters
            guard query.get("hub.mode") == "subscribe", query.get("hub.verify_token") == verifyToken,
                  let challenge = query.get("hub.challenge") else {
                return Response(status: .forbidden)
            }
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: challenge)))
        }
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }
        )
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = bound.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw CancellationError()
        }
        return MetaVerificationResponder(verifyToken: verifyToken, task: task, port: port)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}
