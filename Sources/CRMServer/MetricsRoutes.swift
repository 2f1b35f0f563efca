import Hummingbird
import NIOCore

/// `GET /metrics`: Prometheus text (docs/operations.md lists the figures and their healthy ranges).
struct MetricsRoutes {
    let metrics: MetricsRegistry
    let access: MetricsAccess
    /// Brings gauges up to date (the rate limiters' sizes) just before a scrape reads them.
    var beforeRender: @Sendable () -> Void = {}

    func add(to router: Router<ListenerContext>) {
        router.get("/metrics") { request, context in
            switch access.check(authorization: request.headers[.authorization], clientAddress: context.clientAddress) {
            case .allowed: break
            case .unauthorized:
                return Response(
                    status: .unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"crm-metrics\""],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "Send Authorization: Bearer <CRM_METRICS_TOKEN>.\n")))
            case .forbidden:
                return Response(
                    status: .forbidden, body: ResponseBody(byteBuffer: ByteBuffer(string: "/metrics answers loopback clients only.\n")))
            }
            beforeRender()
            return Response(
                status: .ok, headers: [.contentType: MetricsRegistry.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render()))
            )
        }
    }
}
