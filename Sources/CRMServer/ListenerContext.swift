import Hummingbird
import Logging
import NIOCore

/// The request context of the listener: Hummingbird's basics plus the client's address (for
/// per-address rate limits and logs).
struct ListenerContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    /// The client behind a trusted proxy (`X-Forwarded-For`), set by `ForwardedClientMiddleware`.
    var forwardedClient: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text ("unknown" for a Unix socket): the peer's, or the one a
    /// trusted proxy forwarded.
    var clientAddress: String { forwardedClient ?? peerAddress }

    /// The connection's own peer.
    var peerAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
