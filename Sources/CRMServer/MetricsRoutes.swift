import Hummingbird
import NIOCore

/// `GET /metrics`: Prometheus text (docs/operations.md lists the figures and their healthy ranges).
struct MetricsRoutes {
    let metrics: MetricsRegistry

    func add(to router: Router<ListenerContext>) {
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: MetricsRegistry.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render()))
            )
        }
    }
}
