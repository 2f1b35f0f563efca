import CRMCore
import ServiceLifecycle

/// The live event hub as a service of the listener's group: it reads until the listener stops,
/// then ends every `GET /events` stream (their clients reconnect to another listener, or later).
struct LiveEventHubService: Service {
    let hub: LiveEventHub

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await hub.run()
        }
    }
}
