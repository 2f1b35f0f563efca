import CRMCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `POST /webhooks/whatsapp/{provider}/{secret}[/{event}]` and Meta's `GET` verification.
struct WebhookRoutes {
    let ingestion: WebhookIngestion
    let verifier: MetaVerification
    let maxBodyBytes: Int

    func add(to router: Router<ListenerContext>) {
        router.post("/webhooks/whatsapp/:provider/:secret") { request, context in
            try await receive(request, context, pathEvent: nil)
        }
        // Evolution's "webhook by events": the same body posted to <url>/<event-name>.
        router.post("/webhooks/whatsapp/:provider/:secret/:event") { request, context in
            try await receive(request, context, pathEvent: context.parameters.get("event"))
        }
        router.get("/webhooks/whatsapp/meta/:secret") { request, context in
            let query = request.uri.queryParameters
            let challenge = try await verifier.answer(
                secret: context.parameters.get("secret") ?? "", mode: query.get("hub.mode"),
                verifyToken: query.get("hub.verify_token"), challenge: query.get("hub.challenge")
            )
            guard let challenge else { return Response.text("forbidden", status: .forbidden) }
            return Response.text(challenge, status: .ok)
        }
    }

    private func receive(_ request: Request, _ context: ListenerContext, pathEvent: String?) async throws -> Response {
        guard let name = context.parameters.get("provider"), let provider = ProviderKind(rawValue: name) else {
            return Response.json(["error": "unknown provider: use evolution, meta or zapi"], status: .notFound)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return Response.json(["error": "body larger than \(maxBodyBytes) bytes"], status: .contentTooLarge)
        }
        let outcome = try await ingestion.receive(
            provider: provider, secret: context.parameters.get("secret") ?? "", body: Data(body.readableBytesView),
            pathEvent: pathEvent, signature: request.headers[HTTPField.Name(MetaSignature.header)!]
        )
        if case .failed(_, let reason) = outcome {
            context.logger.error("webhook not applied", metadata: ["provider": "\(name)", "reason": "\(reason)"])
        }
        return Response.json(Self.answer(outcome), status: HTTPResponse.Status(code: outcome.httpStatus))
    }

    /// A short JSON answer for the provider (and for people testing with curl); no internals.
    static func answer(_ outcome: WebhookIngestion.Outcome) -> [String: String] {
        switch outcome {
        case .unknownSecret: ["error": "unknown webhook URL"]
        case .wrongProvider(let expected): ["error": "this URL belongs to a \(expected.rawValue) connection"]
        case .badSignature: ["error": "invalid X-Hub-Signature-256"]
        case .invalid(let reason): ["error": "invalid body: \(reason)"]
        case .processed(let id, let result, _): ["result": result.rawValue, "eventId": id.uuidString.lowercased()]
        case .duplicate(let id): ["result": "duplicate", "eventId": id.uuidString.lowercased()]
        case .failed(let id, _): ["error": "not applied; retry later", "eventId": id?.uuidString.lowercased() ?? ""]
        }
    }
}
