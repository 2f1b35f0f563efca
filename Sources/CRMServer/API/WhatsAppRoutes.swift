import CRMCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// A unit's WhatsApp number over the API, with the use case of `crm whatsapp` (`PairingService`):
/// `POST /units/:unitId/whatsapp/connect`, `GET …/status`, `GET …/qrcode`, `DELETE …/disconnect`,
/// and `POST …/send`, kept from the original backend as a deprecated alias of `POST /messages`.
/// Connecting answers at once with the code to scan; the scan itself arrives by webhook.
struct WhatsAppRoutes {
    let api: APIRoutes

    func add(to group: RouterGroup<ListenerContext>) {
        group.post("/units/:unitId/whatsapp/connect") { request, context in try await connect(request, context) }
        group.get("/units/:unitId/whatsapp/status") { request, context in try await status(request, context) }
        group.get("/units/:unitId/whatsapp/qrcode") { request, context in try await qrCode(request, context) }
        group.delete("/units/:unitId/whatsapp/disconnect") { request, context in try await disconnect(request, context) }
        group.post("/units/:unitId/whatsapp/send") { request, context in try await send(request, context) }
    }

    private var pairing: PairingService {
        PairingService(store: api.store, secretBox: api.providers.secretBox)
    }

    /// Makes sure the provider has the unit's instance and webhook (a new unit gets an Evolution
    /// connection, as `crm whatsapp connect` gives it), and answers the code to scan.
    private func connect(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let unit = try await self.unit(of: request, context)
        let base = try api.providers.webhookBase()
        let connection = try await pairing.connection(for: unit, provider: nil)
        let started = try await providerCall(context) {
            try await api.providers.use(connection) { provider in
                try await pairing.start(unit: unit, connection: connection, provider: provider, baseURL: base, reset: false)
            }
        }
        context.logger.info("whatsapp connect", metadata: ["unit": "\(unit.id.text)", "state": "\(started.status.state.rawValue)"])
        let answer = APIPairing(
            connection: APIConnection(unitId: unit.id, connection: started.connection, status: started.status), code: started.qrCode,
            webhookURL: started.connection.provider == .meta ? started.webhookURL : nil, createdInstance: started.createdInstance)
        return Response.apiJSON(answer, status: .ok)
    }

    /// The state from the provider when it answers (and recorded), from the database otherwise.
    private func status(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let unit = try await self.unit(of: request, context)
        let connection = try await existing(unit)
        let opened: OpenedProvider?
        var note: String?
        do {
            opened = try await api.providers.openProvider(connection)
        } catch {
            opened = nil
            note = "the provider could not be opened (the listener's log says why)"
            context.logger.warning("whatsapp status: provider not opened", metadata: ["unit": "\(unit.id.text)", "reason": "\(Self.reason(error))"])
        }
        let (status, source) = await pairing.refreshStatus(unit: unit, connection: connection, provider: opened?.provider)
        await opened?.close()
        let view = APIConnection(unitId: unit.id, connection: connection, status: status)
        let answer: APIConnectionStatus
        switch source {
        case .provider: answer = APIConnectionStatus(connection: view, source: "provider", sourceNote: nil)
        case .database(let reason): answer = APIConnectionStatus(connection: view, source: "database", sourceNote: note ?? reason)
        }
        return Response.apiJSON(answer, status: .ok)
    }

    /// A fresh code from the provider; none (`qr: null`) when the number is connected.
    private func qrCode(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let unit = try await self.unit(of: request, context)
        let connection = try await existing(unit)
        guard connection.provider != .meta else {
            throw APIError.invalidRequest("Meta Cloud API numbers are not paired with a QR code: POST /units/\(unit.id.text)/whatsapp/connect checks them.")
        }
        let (code, status) = try await providerCall(context) {
            try await api.providers.use(connection) { provider in
                try await pairing.freshQRCode(unit: unit, connection: connection, provider: provider)
            }
        }
        let answer = APIPairing(connection: APIConnection(unitId: unit.id, connection: connection, status: status), code: code)
        return Response.apiJSON(answer, status: .ok)
    }

    /// Logs the number out at the provider (the instance is kept) and records it.
    private func disconnect(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let unit = try await self.unit(of: request, context)
        let connection = try await existing(unit)
        let status = try await providerCall(context) {
            try await api.providers.use(connection) { provider in
                try await pairing.disconnect(unit: unit, connection: connection, provider: provider)
            }
        }
        context.logger.info("whatsapp disconnect", metadata: ["unit": "\(unit.id.text)"])
        return Response.apiJSON(["connection": APIConnection(unitId: unit.id, connection: connection, status: status)], status: .ok)
    }

    /// `POST /messages` in the path's unit, with `Deprecation` and a link to its successor.
    private func send(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let body = try await APIJSON.decode(MessageRoutes.SendBody.self, from: request, limit: api.configuration.maxBodyBytes)
        let unit = try await api.unit(path: context.parameters.get("unitId"), for: principal, action: .sendMessages)
        var response = try await MessageRoutes(api: api).send(body, in: unit)
        response.headers[HTTPField.Name("Deprecation")!] = "true"
        response.headers[HTTPField.Name("Link")!] = "</messages>; rel=\"successor-version\""
        return response
    }

    private func unit(of request: Request, _ context: ListenerContext) async throws -> BusinessUnit {
        let principal = try await api.principal(of: request)
        return try await api.unit(path: context.parameters.get("unitId"), for: principal, action: .manageConnections)
    }

    private func existing(_ unit: BusinessUnit) async throws -> WhatsAppConnection {
        guard let connection = try await api.store.connection(unitId: unit.id) else {
            throw APIError(.conflict, "no_connection",
                "The unit has no WhatsApp connection yet: POST /units/\(unit.id.text)/whatsapp/connect first.")
        }
        return connection
    }

    /// Runs a call that reaches the provider; its failures become 502 (refused, garbled) or 504
    /// (no answer), and the reason goes to the log, not to the client.
    private func providerCall<T>(_ context: ListenerContext, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ProviderError {
            context.logger.warning("whatsapp provider call failed", metadata: [
                "provider": "\(error.provider.rawValue)", "reason": "\(error.reason.rawValue)", "message": "\(error.message)",
            ])
            switch error.reason {
            case .timeout:
                throw APIError(.gatewayTimeout, "provider_timeout", "The WhatsApp provider did not answer in time: try again later.")
            case .unreachable, .serverError, .invalidResponse:
                throw APIError(.badGateway, "provider_unavailable", "The WhatsApp provider is unavailable: try again later.")
            case .unauthorized, .forbidden, .instanceNotFound, .routeNotFound, .invalidRecipient, .notConnected, .rejected, .unsupported:
                throw APIError(.badGateway, "provider_refused",
                    "The WhatsApp provider refused the request (\(error.reason.rawValue)): check the unit's provider settings.")
            }
        }
    }

    /// An error's reason for the log: a CRMError's message (written for people, no secrets), else its type.
    static func reason(_ error: any Error) -> String {
        (error as? CRMError)?.message ?? (error as? ProviderError)?.message ?? "\(type(of: error))"
    }
}
