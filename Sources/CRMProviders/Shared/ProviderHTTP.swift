import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Timeouts and retries of a provider's HTTP client.
package struct ProviderHTTPConfiguration: Sendable {
    /// Establishing the TCP (and TLS) connection.
    package var connectTimeout: Duration
    /// The whole request, from sending it to the last byte of the body.
    package var requestTimeout: Duration
    /// How idempotent calls are retried.
    package var retry: ProviderRetryPolicy
    /// Bodies larger than this are refused (a provider never sends more).
    package var maxResponseBytes: Int
    /// Connections open at once to the provider's host: requests beyond wait for one. The
    /// listener's outbound worker raises it to its concurrency.
    package var maxConnections: Int = 8

    package init(
        connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(15),
        retry: ProviderRetryPolicy = ProviderRetryPolicy(), maxResponseBytes: Int = 4 << 20
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.maxResponseBytes = maxResponseBytes
    }
}

/// A response as adapters read it: the status, the content type and the whole body.
package struct ProviderHTTPResponse: Sendable {
    package var status: Int
    package var contentType: String?
    package var body: Data

    package init(status: Int, contentType: String?, body: Data) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    package var isSuccess: Bool { (200..<300).contains(status) }

    /// An HTML page (a proxy's error page, a login portal) rather than the API's JSON.
    package var looksLikeHTML: Bool {
        if let contentType, contentType.lowercased().contains("text/html") { return true }
        // Checked on every answer: the first byte that is not ASCII white space decides at once
        // when it is ASCII (a JSON body's `{`), without decoding and trimming through Foundation.
        if let first = body.prefix(256).first(where: { !(0x09...0x0D).contains($0) && $0 != 0x20 }), first < 0x80 {
            return first == UInt8(ascii: "<")
        }
        let head = String(decoding: body.prefix(256), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        // JSON never starts with "<"; `<!DOCTYPE html>`, `<html>` and bare fragments all do.
        return head.hasPrefix("<")
    }
}

/// Why no response arrived. Adapters turn it into a `ProviderError` naming their provider.
package enum ProviderTransportFailure: Error, Sendable, Equatable {
    /// No (complete) answer within the request or connect timeout.
    case timeout
    /// The connection failed; a short reason without secrets ("connection refused").
    case unreachable(String)
}

/// A thin layer over AsyncHTTPClient shared by the provider adapters: JSON requests with
/// timeouts, transport failures mapped to `ProviderTransportFailure`. It owns its `HTTPClient`
/// unless one is passed in; call `shutdown()` before dropping an owned one.
package final class ProviderHTTPClient: Sendable {
    package let configuration: ProviderHTTPConfiguration
    private let client: HTTPClient
    private let ownsClient: Bool

    package init(configuration: ProviderHTTPConfiguration = ProviderHTTPConfiguration(), client: HTTPClient? = nil) {
        self.configuration = configuration
        if let client {
            self.client = client
            self.ownsClient = false
        } else {
            var config = HTTPClient.Configuration()
            config.timeout = .init(connect: configuration.connectTimeout.providerTimeAmount, read: configuration.requestTimeout.providerTimeAmount)
            // Our own retry policy decides (with backoff and jitter) and only for idempotent calls;
            // the pool's retry would hold a refused connection until the connect timeout.
            config.connectionPool.retryConnectionEstablishment = false
            config.redirectConfiguration = .disallow
            config.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, configuration.maxConnections)
            self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
            self.ownsClient = true
        }
    }

    /// Shuts the owned client down; does nothing for a client passed in.
    package func shutdown() async throws {
        guard ownsClient else { return }
        try await client.shutdown()
    }

    /// Sends one request; `body` is sent as `application/json`. Throws `ProviderTransportFailure`
    /// (or `CancellationError`) only: an HTTP error status is a response like any other.
    package func send(
        _ method: HTTPMethod, url: String, headers: [(String, String)] = [], json body: Data? = nil
    ) async throws -> ProviderHTTPResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let deadline = NIODeadline.now() + configuration.requestTimeout.providerTimeAmount
        do {
            let response = try await client.execute(request, deadline: deadline)
            let buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
            return ProviderHTTPResponse(
                status: Int(response.status.code),
                contentType: response.headers.first(name: "Content-Type"),
                body: Data(buffer.readableBytesView)
            )
        } catch {
            try Task.checkCancellation()
            throw Self.transportFailure(error, deadlinePassed: NIODeadline.now() >= deadline)
        }
    }

    /// Classifies AsyncHTTPClient's and NIO's errors without their descriptions' internals.
    static func transportFailure(_ error: any Error, deadlinePassed: Bool) -> ProviderTransportFailure {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return .timeout
            case .connectTimeout, .getConnectionFromPoolTimeout:
                // Nothing was sent: a caller may try again without risking a duplicate.
                return .unreachable("no connection within the connect timeout")
            case .remoteConnectionClosed:
                return .unreachable("the connection was closed before the response")
            case .bodyLengthMismatch:
                return .unreachable("the response was cut short")
            case .cancelled where deadlinePassed:
                return .timeout
            default:
                break
            }
        }
        if deadlinePassed { return .timeout }
        if error is NIOTooManyBytesError { return .unreachable("the response is too large") }
        return .unreachable(connectionReason(error))
    }

    private static func connectionReason(_ error: any Error) -> String {
        let text = String(describing: error).lowercased()
        if text.contains("refused") { return "connection refused" }
        if text.contains("timed out") || text.contains("timeout") { return "connection timed out" }
        if text.contains("reset") { return "connection reset" }
        if text.contains("resolve") || text.contains("dns") || text.contains("host") { return "host not found" }
        if text.contains("ssl") || text.contains("tls") || text.contains("certificate") { return "TLS handshake failed" }
        return "connection failed"
    }
}

extension Duration {
    /// The same span as NIO's `TimeAmount` (nanosecond precision).
    var providerTimeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension ProviderHTTPClient {
    /// `POST url` with a JSON body and extra headers (for `crm webhook trigger`).
    package func post(url: String, headers: [(String, String)], body: Data) async throws -> ProviderHTTPResponse {
        try await send(.POST, url: url, headers: headers.filter { $0.0.lowercased() != "content-type" }, json: body)
    }
}
