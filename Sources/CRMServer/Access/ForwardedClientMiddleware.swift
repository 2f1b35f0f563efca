import HTTPTypes
import Hummingbird

/// Attributes a request that came through a trusted reverse proxy to the client the proxy saw
/// (`X-Forwarded-For`), for the rate limits, the request log and /metrics' loopback rule.
struct ForwardedClientMiddleware: RouterMiddleware {
    typealias Context = ListenerContext
    let proxies: TrustedProxies
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: ListenerContext, next: (Request, ListenerContext) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[Self.forwardedFor] else { return try await next(request, context) }
        var context = context
        let client = proxies.client(peer: context.peerAddress, forwardedFor: header)
        if client != context.peerAddress { context.forwardedClient = client }
        return try await next(request, context)
    }
}
