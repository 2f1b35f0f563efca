import Foundation
import HTTPTypes
import Hummingbird

/// The WhatsApp Cloud API subset on Graph's paths, `/{version}/{phone-number-id}[/messages]` with
/// a version like `v23.0` (no Evolution route starts with `v`), authenticated with
/// `Authorization: Bearer <access token>`, plus the control route that provisions numbers.
enum MetaRoutes {
    static func add(to router: Router<BasicRequestContext>, state: SimulatorState) {
        router.post("/_simulator/meta/numbers") { request, _ in
            guard let body = try await request.jsonBody() else { return malformedJSONReply.response }
            guard let config = MetaNumberConfiguration(body) else {
                return SimulatorReply.control(400, "expected {\"phoneNumberId\",\"displayPhoneNumber\",\"accessToken\",\"appSecret\"}, optional \"webhookURL\", \"verifyToken\", \"verifiedName\", \"wabaId\", \"allowedRecipients\", \"templates\": [{\"name\",\"language\",\"body\"}]").response
            }
            return await provision(config, state: state).reply.response
        }

        // The number: credentials check, display number, webhook configuration.
        router.get("/v{version}/:phoneNumberId") { request, context in
            let id = context.parameters.get("phoneNumberId") ?? ""
            if let refusal = versionRefusal(context) { return refusal.response }
            switch await state.authorizeMeta(request.bearerToken, phoneNumberId: id, method: "get") {
            case .refused(let reply):
                return reply.response
            case .allowed(let number):
                switch MetaBodies.phoneNumber(id: id, number, fields: request.uri.queryParameters.get("fields")) {
                case .success(let body): return SimulatorReply.ok(body).response
                case .failure(let unknown): return MetaErrors.nonexistingField(unknown.name).response
                }
            }
        }

        // The number's alternate callback URL (webhook override), verified before it is accepted.
        router.post("/v{version}/:phoneNumberId") { request, context in
            let id = context.parameters.get("phoneNumberId") ?? ""
            if let refusal = versionRefusal(context) { return refusal.response }
            if case .refused(let reply) = await state.authorizeMeta(request.bearerToken, phoneNumberId: id, method: "post") {
                return reply.response
            }
            guard let body = try await request.jsonBody(), let configuration = body["webhook_configuration"],
                  let uri = configuration["override_callback_uri"]?.stringValue else {
                return MetaErrors.invalidParameter("The parameter webhook_configuration is required.").response
            }
            if uri.isEmpty {
                await state.setMetaOverride(id, url: nil)
                return SimulatorReply.ok(MetaBodies.success).response
            }
            guard uri.count <= 200 else {
                return MetaErrors.invalidParameter("Param webhook_configuration[override_callback_uri] must be at most 200 chars long").response
            }
            guard let token = configuration["verify_token"]?.stringValue else {
                return MetaErrors.invalidParameter("The parameter webhook_configuration[verify_token] is required.").response
            }
            let outcome = await MetaHandshake.verify(
                url: uri, verifyToken: token, client: state.poster.client, timeoutMs: state.poster.policy.timeoutMs)
            guard outcome.passed else { return MetaErrors.callbackVerificationFailed(outcome.detail).response }
            await state.setMetaOverride(id, url: uri)
            return SimulatorReply.ok(MetaBodies.success).response
        }

        router.post("/v{version}/:phoneNumberId/messages") { request, context in
            let id = context.parameters.get("phoneNumberId") ?? ""
            if let refusal = versionRefusal(context) { return refusal.response }
            if case .refused(let reply) = await state.authorizeMeta(request.bearerToken, phoneNumberId: id, method: "post") {
                return reply.response
            }
            guard let body = try await request.jsonBody() else {
                return MetaErrors.invalidParameter("The parameter messaging_product is required.").response
            }
            return await state.sendMeta(id, body).response
        }
    }

    /// Verifies the app's callback URL (when given), then provisions the number.
    static func provision(
        _ config: MetaNumberConfiguration, state: SimulatorState
    ) async -> (reply: SimulatorReply, verification: MetaWebhookVerification?) {
        var verification: MetaWebhookVerification?
        if let url = config.webhookURL {
            verification = await MetaHandshake.verify(
                url: url, verifyToken: config.verifyToken ?? "", client: state.poster.client, timeoutMs: state.poster.policy.timeoutMs)
        }
        let accepted = verification?.passed == true ? config.webhookURL : nil
        let reply = await state.provisionMetaNumber(config, appWebhookURL: accepted, verification: verification)
        return (reply, verification)
    }

    /// Whether a request path is a Graph path (`/v23.0/…`), for faults answered in Graph's shape.
    static func isGraphPath(_ path: String) -> Bool {
        let first = path.split(separator: "/").first ?? ""
        return first.hasPrefix("v") && isVersion(first.dropFirst())
    }

    /// `23.0`: digits, a dot, digits.
    static func isVersion(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    private static func versionRefusal(_ context: BasicRequestContext) -> SimulatorReply? {
        guard !isVersion(Substring(context.parameters.get("version") ?? "")) else { return nil }
        return SimulatorReply(status: 400, body: MetaErrors.body("Unknown path components", code: 2500))
    }
}

extension Request {
    /// The token of `Authorization: Bearer <token>`.
    var bearerToken: String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}
