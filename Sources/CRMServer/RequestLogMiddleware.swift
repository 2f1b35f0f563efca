import Foundation
import Hummingbird
import Logging

/// One log line per request: method, path with any webhook secret masked, status, duration.
/// Secrets never reach a log line: the path's secret segment is replaced before logging.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ListenerContext
    let metrics: MetricsRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let path = Self.maskedPath(request.uri.path)
        do {
            let response = try await next(request, context)
            log(context, request, path, status: Int(response.status.code), since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(context, request, path, status: Int(status), since: started)
            throw error
        }
    }

    private func log(_ context: Context, _ request: Request, _ path: String, status: Int, since started: ContinuousClock.Instant) {
        metrics.increment(CRMMetrics.httpRequests, labels: ["method": request.method.rawValue, "status": "\(status)"])
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(path)", "status": "\(status)",
            "ms": "\(Self.oneDecimal(milliseconds))", "client": "\(context.clientAddress)",
        ])
    }

    /// "12.3" without `String(format:)` (vfprintf was a few percent of the listener's CPU).
    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((max(0, value) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `/webhooks/whatsapp/evolution/<secret>/…` → `/webhooks/whatsapp/evolution/****/…`; other
    /// paths as they are. Finds the segment in the UTF-8 bytes: splitting and joining the path was
    /// 2 % of the listener's CPU under load.
    static func maskedPath(_ path: String) -> String {
        let slash = UInt8(ascii: "/")
        let utf8 = path.utf8
        guard utf8.starts(with: webhookPrefix.utf8),
              let providerEnd = utf8[utf8.index(utf8.startIndex, offsetBy: webhookPrefix.utf8.count)...].firstIndex(of: slash)
        else { return path }
        let secretStart = utf8.index(after: providerEnd)
        let secretEnd = utf8[secretStart...].firstIndex(of: slash) ?? utf8.endIndex
        return String(path[..<secretStart]) + "****" + path[secretEnd...]
    }

    private static let webhookPrefix = "/webhooks/whatsapp/"
}
