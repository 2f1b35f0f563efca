import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One webhook POST waiting to go out.
struct WebhookDelivery: Sendable {
    var event: String
    var instance: String
    var url: String
    var headers: [String: String]
    var body: Data
}

/// How often and how patiently a failed webhook is retried. Evolution retries up to 10 times
/// from 5 s to 300 s; the simulator keeps the rule (no retry after 400/401/403/404/422) but
/// shortens the waits so tests and demos stay quick.
package struct WebhookRetryPolicy: Sendable, Hashable {
    package var maxAttempts: Int
    package var firstBackoffMs: Int
    package var timeoutMs: Int

    package init(maxAttempts: Int = 4, firstBackoffMs: Int = 100, timeoutMs: Int = 5_000) {
        self.maxAttempts = max(1, maxAttempts)
        self.firstBackoffMs = max(0, firstBackoffMs)
        self.timeoutMs = max(1, timeoutMs)
    }

    static let permanentStatuses: Set<UInt> = [400, 401, 403, 404, 422]
}

/// Posts webhooks with AsyncHTTPClient; failures are logged and retried, never thrown, so that a
/// receiver that is down cannot take the simulator with it.
struct WebhookPoster: Sendable {
    /// A refused connection fails at once, as it does for the real providers (HTTPClient.shared
    /// retries it until its connect timeout, so a receiver that is down looked slow, not down).
    /// Process-wide, like `HTTPClient.shared`: never shut down.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    let client: HTTPClient
    let policy: WebhookRetryPolicy
    let logger: Logger

    /// Tries until success, a permanent refusal, the attempts run out or the task is cancelled.
    func deliver(_ delivery: WebhookDelivery) async {
        var backoff = policy.firstBackoffMs
        for attempt in 1...policy.maxAttempts {
            if Task.isCancelled { return }
            do {
                var request = HTTPClientRequest(url: delivery.url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                for (name, value) in delivery.headers { request.headers.add(name: name, value: value) }
                request.body = .bytes(ByteBuffer(bytes: delivery.body))
                let response = try await client.execute(request, timeout: .milliseconds(Int64(policy.timeoutMs)))
                _ = try? await response.body.collect(upTo: 1 << 20)
                let status = response.status.code
                if (200..<300).contains(status) { return }
                if WebhookRetryPolicy.permanentStatuses.contains(status) {
                    logger.warning("webhook refused", metadata: meta(delivery, attempt, "HTTP \(status)"))
                    return
                }
                logger.info("webhook failed", metadata: meta(delivery, attempt, "HTTP \(status)"))
            } catch {
                logger.info("webhook failed", metadata: meta(delivery, attempt, "\(error)"))
            }
            if attempt < policy.maxAttempts {
                try? await Task.sleep(for: .milliseconds(backoff))
                backoff *= 2
            }
        }
        logger.warning("webhook dropped after retries", metadata: meta(delivery, policy.maxAttempts, "gave up"))
    }

    private func meta(_ delivery: WebhookDelivery, _ attempt: Int, _ reason: String) -> Logger.Metadata {
        ["event": "\(delivery.event)", "instance": "\(delivery.instance)", "url": "\(delivery.url)",
         "attempt": "\(attempt)", "reason": "\(reason)"]
    }
}
