import Hummingbird
import Logging
import NIOCore

/// The request context of the listener: Hummingbird's basics plus the client's address (for
/// per-address rate limits and logs).
struct ListenerContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text ("unknown" for a Unix socket).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
