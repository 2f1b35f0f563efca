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
    let metrics: MetricsRegistry
    let limits: ListenerRateLimits

    func add(to router: Router<ListenerContext>) {
        // One route per provider: Hummingbird's router does not fall back from a constant segment
        // (Meta's GET below) to a parameter, so `:provider` alone would miss POSTs to …/meta/….
        for provider in ProviderKind.allCases {
            router.post("/webhooks/whatsapp/\(provider.rawValue)/:secret") { request, context in
                try await receive(request, context, provider: provider, pathEvent: nil)
            }
            // Evolution's "webhook by events": the same body posted to <url>/<event-name>.
            router.post("/webhooks/whatsapp/\(provider.rawValue)/:secret/:event") { request, context in
                try await receive(request, context, provider: provider, pathEvent: context.parameters.get("event"))
            }
        }
        router.post("/webhooks/whatsapp/:provider/:secret") { _, _ in
            Response.json(["error": "unknown provider: use evolution, meta or zapi"], status: .notFound)
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

    private func receive(_ request: Request, _ context: ListenerContext, provider: ProviderKind, pathEvent: String?)
        async throws -> Response
    {
        let name = provider.rawValue
        let secret = context.parameters.get("secret") ?? ""
        if let limited = limits.check(client: context.clientAddress, unitKey: secret, metrics: metrics) { return limited }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return Response.json(["error": "body larger than \(maxBodyBytes) bytes"], status: .contentTooLarge)
        }
        let started = ContinuousClock.now
        let outcome = try await ingestion.receive(
            provider: provider, secret: secret, body: Data(body.readableBytesView),
            pathEvent: pathEvent, signature: request.headers[HTTPField.Name(MetaSignature.header)!]
        )
        count(outcome, provider: provider, elapsed: ContinuousClock.now - started)
        if case .failed(_, let reason) = outcome {
            context.logger.error("webhook not applied", metadata: ["provider": "\(name)", "reason": "\(reason)"])
        }
        return Response.json(Self.answer(outcome), status: HTTPResponse.Status(code: outcome.httpStatus))
    }

    /// The figures of docs/operations.md: what arrived, by provider, event and result.
    private func count(_ outcome: WebhookIngestion.Outcome, provider: ProviderKind, elapsed: Duration) {
        let labels = ["provider": provider.rawValue]
        switch outcome {
        case .unknownSecret:
            metrics.increment(CRMMetrics.webhookUnknownSecrets)
        case .wrongProvider:
            metrics.increment(CRMMetrics.webhooksReceived, labels: labels.merging(["event": "unknown", "result": "wrong_provider"]) { $1 })
        case .badSignature:
            metrics.increment(CRMMetrics.webhookBadSignatures, labels: labels)
        case .invalid:
            metrics.increment(CRMMetrics.webhookParseFailures, labels: labels)
            metrics.increment(CRMMetrics.webhooksReceived, labels: labels.merging(["event": "invalid", "result": "invalid"]) { $1 })
        case .duplicate:
            metrics.increment(CRMMetrics.webhookDedupes, labels: labels)
            metrics.increment(CRMMetrics.webhooksReceived, labels: labels.merging(["event": "any", "result": "duplicate"]) { $1 })
        case .failed:
            metrics.increment(CRMMetrics.webhooksReceived, labels: labels.merging(["event": "any", "result": "failed"]) { $1 })
        case .processed(_, let result, let events):
            metrics.observe(CRMMetrics.webhookApplySeconds, duration: elapsed, labels: labels)
            let unknown = events.filter { if case .unknownInstance = $0 { true } else { false } }.count
            if unknown > 0 { metrics.increment(CRMMetrics.webhookUnknownInstances, labels: labels, by: Double(unknown)) }
            let event = events.first.map(Self.eventName) ?? "none"
            metrics.increment(CRMMetrics.webhooksReceived, labels: labels.merging(["event": event, "result": result.rawValue]) { $1 })
        }
    }

    private static func eventName(_ result: WebhookIngestion.EventResult) -> String {
        switch result {
        case .connection: "connection"
        case .messageStored, .messageDuplicate: "message"
        case .status: "status"
        case .ignored: "ignored"
        case .unknownInstance: "unknown_instance"
        }
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
