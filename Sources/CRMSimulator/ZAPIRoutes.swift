import HTTPTypes
import Hummingbird

/// Z-API's REST subset under `/instances/{instanceId}/token/{token}/…` (no collision with
/// Evolution's `/instance/…`), each route checking the instance, its token and the account's
/// Client-Token first; plus the control routes that stand in for Z-API's dashboard.
enum ZAPIRoutes {
    static let clientTokenHeader = HTTPField.Name("Client-Token")!

    static func add(to router: Router<BasicRequestContext>, state: SimulatorState) {
        route(router, .get, "status", state) { id, _ in await state.zapiStatus(id) }
        route(router, .get, "qr-code", state) { id, _ in await state.zapiQRCode(id, image: false) }
        route(router, .get, "qr-code/image", state) { id, _ in await state.zapiQRCode(id, image: true) }
        route(router, .get, "device", state) { id, _ in await state.zapiDevice(id) }
        route(router, .get, "disconnect", state) { id, _ in await state.zapiDisconnect(id) }
        route(router, .post, "send-text", state) { id, body in await state.zapiSendText(id, body) }
        let single: [(String, ZAPIWebhookKind, Bool?)] = [
            ("update-webhook-received", .received, nil),
            ("update-webhook-received-delivery", .received, true),
            ("update-webhook-delivery", .delivery, nil),
            ("update-webhook-message-status", .messageStatus, nil),
            ("update-webhook-connected", .connected, nil),
            ("update-webhook-disconnected", .disconnected, nil),
            ("update-webhook-chat-presence", .chatPresence, nil),
        ]
        for (path, kind, notify) in single {
            route(router, .put, path, state) { id, body in await state.zapiSetWebhooks(id, kinds: [kind], body, notifySentByMe: notify) }
        }
        route(router, .put, "update-every-webhooks", state) { id, body in
            await state.zapiSetWebhooks(id, kinds: ZAPIWebhookKind.allCases, body, notifySentByMe: nil)
        }
        route(router, .put, "update-notify-sent-by-me", state) { id, body in await state.zapiSetNotifySentByMe(id, body) }

        let control = router.group("/_simulator/zapi")
        control.post("/instances") { request, _ in
            guard let body = try await request.jsonBody() else { return malformedJSONReply.response }
            return await state.provisionZAPI(
                instanceId: body["instanceId"]?.stringValue ?? "", token: body["token"]?.stringValue ?? "",
                clientToken: body["clientToken"]?.stringValue
            ).response
        }
        control.get("/instances/:instance") { _, context in
            let id = context.parameters.get("instance") ?? ""
            guard let settings = await state.zapiSettings(id) else {
                return SimulatorReply.control(404, "no Z-API instance \(id)").response
            }
            return SimulatorReply.ok(settings.json).response
        }
    }

    /// `/instances/:id/token/:token/<endpoint>`: instance and token, then Client-Token, then the
    /// body (`{}` when empty), then the handler.
    private static func route(
        _ router: Router<BasicRequestContext>, _ method: HTTPRequest.Method, _ endpoint: String, _ state: SimulatorState,
        _ handler: @escaping @Sendable (String, JSONValue) async -> SimulatorReply
    ) {
        router.on(RouterPath("/instances/:zapiInstance/token/:zapiToken/\(endpoint)"), method: method) { request, context in
            let id = context.parameters.get("zapiInstance") ?? ""
            let token = context.parameters.get("zapiToken") ?? ""
            if let refusal = await state.zapiAuthorize(
                instanceId: id, token: token, clientToken: request.headers[clientTokenHeader]
            ) {
                return refusal.response
            }
            guard let body = try await request.jsonBody() else { return ZAPIBodies.malformedJSON.response }
            return await handler(id, body).response
        }
    }
}
