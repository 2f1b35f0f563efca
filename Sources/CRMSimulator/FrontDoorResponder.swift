import HTTPTypes
import Hummingbird
import NIOCore

/// Wraps the router: applies requested faults to API calls (never to `/_simulator`), and turns
/// the router's bare "no such route" 404 into Express's `Cannot GET /path` body, as Evolution answers.
struct FrontDoorResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == BasicRequestContext {
    typealias Context = BasicRequestContext
    let inner: Inner
    let state: SimulatorState

    /// A message send on any provider's routes: Evolution's `/message/send…`, Z-API's `…/send-…`,
    /// the Graph API's `…/messages`.
    static func isSend(_ path: String) -> Bool {
        path.hasPrefix("/message/send") || path.contains("/send-") || (MetaRoutes.isGraphPath(path) && path.hasSuffix("/messages"))
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        if !request.uri.path.hasPrefix("/_simulator"), let fault = await state.takeFault() {
            switch fault {
            case .status(let status) where MetaRoutes.isGraphPath(request.uri.path):
                return MetaErrors.fault(status: status).response
            case .status(let status):
                return SimulatorReply.error(EvolutionErrors.serverError(status)).response
            case .garbage(let status):
                return garbageJSON(status: status)
            case .html(let status):
                return htmlPage(status: status)
            case .hold:
                await state.hold()
                if await state.isStopping { return SimulatorReply.error(EvolutionErrors.serverError(503)).response }
            case .delay(let milliseconds):
                // In slices, so that stopping the simulator is not held up by a 20 s "timeout" fault.
                var remaining = milliseconds
                while remaining > 0 {
                    try await Task.sleep(for: .milliseconds(min(remaining, 50)))
                    remaining -= 50
                    if await state.isStopping {
                        return SimulatorReply.error(EvolutionErrors.serverError(503)).response
                    }
                }
            }
        }
        if request.method == .post, Self.isSend(request.uri.path), await state.failsThisSend() {
            return MetaRoutes.isGraphPath(request.uri.path)
                ? MetaErrors.fault(status: 500).response : SimulatorReply.error(EvolutionErrors.serverError(500)).response
        }
        let response = try await inner.respond(to: request, context: context)
        // The router answers an unknown route with a bare 404 (no body, no content type); every
        // response of ours carries JSON.
        if response.status == .notFound || response.status == .methodNotAllowed, response.headers[.contentType] == nil {
            return SimulatorReply.error(EvolutionErrors.route(method: request.method.rawValue, path: request.uri.path)).response
        }
        return response
    }
}
