import HTTPTypes
import Hummingbird

/// Evolution API v2's REST subset, each route checking `apikey` first as Evolution's guards do.
enum EvolutionRoutes {
    static func add(to router: Router<BasicRequestContext>, state: SimulatorState) {
        router.post("/instance/create") { request, _ in
            guard await state.authorize(request.apiKey, instance: nil, globalOnly: true) else { return unauthorized }
            guard let body = try await request.jsonBody() else { return malformedJSONReply.response }
            return await state.create(body).response
        }
        router.get("/instance/fetchInstances") { request, _ in
            guard await state.authorize(request.apiKey, instance: nil) else { return unauthorized }
            let name = request.uri.queryParameters.get("instanceName")
            return await state.fetchInstances(key: request.apiKey, name: name).response
        }
        instanceRoute(router, .get, "/instance/connect/:instance", state) { name, _ in await state.connect(name) }
        instanceRoute(router, .get, "/instance/connectionState/:instance", state) { name, _ in await state.connectionState(name) }
        instanceRoute(router, .delete, "/instance/logout/:instance", state) { name, _ in await state.logout(name) }
        instanceRoute(router, .delete, "/instance/delete/:instance", state) { name, _ in await state.delete(name) }
        instanceRoute(router, .post, "/webhook/set/:instance", state) { name, body in await state.setWebhook(name, body) }
        instanceRoute(router, .post, "/message/sendText/:instance", state) { name, body in await state.sendText(name, body) }
    }

    static var unauthorized: Response { SimulatorReply.error(EvolutionErrors.unauthorized).response }

    /// A route on `/…/:instance`: auth (global key or that instance's token), then 404 for an
    /// unknown instance (from the state), then the handler with the parsed body.
    private static func instanceRoute(
        _ router: Router<BasicRequestContext>, _ method: HTTPRequest.Method, _ path: RouterPath, _ state: SimulatorState,
        _ handler: @escaping @Sendable (String, JSONValue) async -> SimulatorReply
    ) {
        router.on(path, method: method) { request, context in
            let name = context.parameters.get("instance") ?? ""
            guard await state.authorize(request.apiKey, instance: name) else { return unauthorized }
            guard let body = try await request.jsonBody() else { return malformedJSONReply.response }
            return await handler(name, body).response
        }
    }
}
