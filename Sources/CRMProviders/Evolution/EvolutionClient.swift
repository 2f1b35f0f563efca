import AsyncHTTPClient
import CRMCore
import Foundation
import Logging
import NIOHTTP1

/// Where and how to reach an Evolution API v2 server.
package struct EvolutionClientConfiguration: Sendable, CustomStringConvertible {
    /// `EVOLUTION_API_URL`, e.g. `https://evolution.example.com` (a path prefix is kept).
    package var baseURL: String
    /// `EVOLUTION_API_KEY`, the global `AUTHENTICATION_API_KEY`, sent as the `apikey` header.
    package var apiKey: String
    package var http: ProviderHTTPConfiguration

    package init(baseURL: String, apiKey: String, http: ProviderHTTPConfiguration = ProviderHTTPConfiguration()) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.http = http
    }

    /// Never shows the key.
    package var description: String { "Evolution API at \(baseURL) (key \(Masking.secret(apiKey)))" }
}

/// `WhatsAppProvider` over Evolution API v2's REST API. Idempotent calls (reads, webhook set,
/// create-or-reuse, logout, delete) are retried on timeouts, 5xx and garbage bodies with
/// exponential backoff; `sendText` is tried once. Every failure is a `ProviderError` whose
/// message names Evolution and what to check, never the key or a full phone number.
package final class EvolutionClient: WhatsAppProvider {
    package var kind: ProviderKind { .evolution }

    let http: ProviderHTTPClient
    private let baseURL: String
    private let apiKey: String
    private let retry: ProviderRetryPolicy
    private let logger: Logger
    /// `scheme://host[:port]` for messages: no credentials, no path.
    let displayHost: String

    /// Throws `CRMError.configuration` for a URL that is not http(s) or an empty key. Pass
    /// `httpClient` to share one; otherwise the client owns its own (call `shutdown()`).
    package init(
        configuration: EvolutionClientConfiguration, httpClient: HTTPClient? = nil,
        logger: Logger = Logger(label: "crm.providers.evolution")
    ) throws {
        let url = try ProviderBaseURL(configuration.baseURL, invalid: CRMError.configuration(
            "EVOLUTION_API_URL is not an http(s) URL: check EVOLUTION_API_URL"))
        guard !configuration.apiKey.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CRMError.configuration("The Evolution API key is empty: set EVOLUTION_API_KEY")
        }
        self.baseURL = url.base
        self.apiKey = configuration.apiKey
        self.retry = configuration.http.retry
        self.logger = logger
        self.displayHost = url.displayHost
        self.http = ProviderHTTPClient(configuration: configuration.http, client: httpClient)
    }

    /// Shuts down the HTTP client the client created (not one passed in).
    package func shutdown() async throws {
        try await http.shutdown()
    }

    // MARK: WhatsAppProvider

    package func ensureInstance(named name: String, webhookURL: String) async throws -> ProviderInstanceState {
        let request = EvolutionClientWire.CreateRequest(instanceName: name, webhook: .init(url: webhookURL))
        // Retrying a create is safe: a create that did go through answers "name in use" next time.
        let created: ProviderInstanceState? = try await retry.run("instance.create", logger: logger) {
            let response = try await call(.POST, "/instance/create", body: EvolutionClientWire.encode(request))
            if response.status == 403, let body = EvolutionErrorBody(response.body),
               body.messages.contains(where: { $0.localizedCaseInsensitiveContains("already in use") }) {
                return nil
            }
            let reply = try decode(EvolutionClientWire.CreateResponse.self, response, instance: name)
            let qr = reply.qrcode?.code.flatMap { $0.isEmpty ? nil : QRCodeUpdate(instance: name, qr: $0, pairingCode: reply.qrcode?.pairingCode) }
            let state: ConnectionState? = qr != nil ? .qr : Self.connectionState(reply.instance?.state ?? reply.instance?.status)
            return ProviderInstanceState(instance: name, created: true, state: state ?? .connecting, qrCode: qr)
        }
        if let created { return created }
        logger.debug("evolution instance exists; reusing it", metadata: ["instance": "\(name)"])
        try await setWebhook(instance: name, url: webhookURL)
        return ProviderInstanceState(instance: name, created: false, state: try await connectionState(instance: name))
    }

    /// `POST /webhook/set/{instance}` with the CRM's events.
    package func setWebhook(instance: String, url: String) async throws {
        let body = EvolutionClientWire.encode(EvolutionClientWire.SetWebhookRequest(webhook: .init(url: url)))
        try await retry.run("webhook.set", logger: logger) {
            let response = try await call(.POST, "/webhook/set/\(Self.segment(instance))", body: body)
            try requireSuccess(response, instance: instance)
        }
    }

    package func requestQRCode(instance: String) async throws -> QRCodeUpdate? {
        try await retry.run("instance.connect", logger: logger) {
            let response = try await call(.GET, "/instance/connect/\(Self.segment(instance))")
            let reply = try decode(EvolutionClientWire.ConnectResponse.self, response, instance: instance)
            if let code = reply.code, !code.isEmpty {
                return QRCodeUpdate(instance: instance, qr: code, pairingCode: reply.pairingCode)
            }
            if reply.instance?.state == "open" { return nil }
            // Evolution answers `{"count": 0}` while Baileys has not produced the first QR yet.
            throw providerError(.invalidResponse, status: response.status, CRMError.unavailable(
                "Evolution API has no QR code for instance '\(instance)' yet: try again in a few seconds"))
        }
    }

    package func connectionState(instance: String) async throws -> ConnectionState {
        try await retry.run("instance.connectionState", logger: logger) {
            let response = try await call(.GET, "/instance/connectionState/\(Self.segment(instance))")
            let reply = try decode(EvolutionClientWire.ConnectionStateResponse.self, response, instance: instance)
            guard let state = Self.connectionState(reply.instance.state ?? reply.instance.status) else {
                throw invalidBody(status: response.status)
            }
            return state
        }
    }

    package func connectedPhone(instance: String) async throws -> String? {
        let query = Self.segment(instance).addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? instance
        return try await retry.run("instance.fetch", logger: logger) {
            let response = try await call(.GET, "/instance/fetchInstances?instanceName=\(query)")
            let reply = try decode([EvolutionClientWire.FetchedInstance].self, response, instance: instance)
            guard let match = reply.first(where: { $0.name == instance }) ?? reply.first,
                  Self.connectionState(match.connectionStatus) == .connected,
                  let jid = match.ownerJid else { return nil }
            let digits = String(jid.prefix { $0 != "@" && $0 != ":" }.filter(\.isASCII).filter(\.isNumber))
            return digits.isEmpty ? nil : digits
        }
    }

    package func logout(instance: String) async throws {
        try await retry.run("instance.logout", logger: logger) {
            let response = try await call(.DELETE, "/instance/logout/\(Self.segment(instance))")
            if response.status == 400, let body = EvolutionErrorBody(response.body),
               body.messages.contains(where: { $0.localizedCaseInsensitiveContains("not connected") }) {
                return  // already logged out
            }
            try requireSuccess(response, instance: instance)
        }
    }

    package func deleteInstance(_ instance: String) async throws {
        try await retry.run("instance.delete", logger: logger) {
            let response = try await call(.DELETE, "/instance/delete/\(Self.segment(instance))")
            if response.status == 404, let body = EvolutionErrorBody(response.body),
               body.messages.contains(where: { $0.localizedCaseInsensitiveContains("does not exist") }) {
                return  // already gone
            }
            try requireSuccess(response, instance: instance)
        }
    }

    package func sendText(instance: String, to: String, text: String) async throws -> String {
        let digits = String(to.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
        guard !digits.isEmpty else {
            throw providerError(.invalidRecipient, status: nil, CRMError.invalidInput("The WhatsApp number is empty: give the contact's phone with its country code"))
        }
        let body = EvolutionClientWire.encode(EvolutionClientWire.SendTextRequest(number: digits, text: text))
        // Never retried here: after a timeout the message may have gone out; the send queue decides.
        let response = try await call(.POST, "/message/sendText/\(Self.segment(instance))", body: body)
        let reply = try decode(EvolutionClientWire.SendTextResponse.self, response, instance: instance, recipient: digits)
        guard !reply.key.id.isEmpty else { throw invalidBody(status: response.status) }
        return reply.key.id
    }

    /// Evolution API (Baileys) has no message templates: refused before any call.
    package func sendTemplate(instance: String, to: String, template: MessageTemplate) async throws -> String {
        throw providerError(.unsupported, status: nil, CRMError.invalidInput(
            "Evolution API has no message templates (a Meta Cloud API feature): send free text instead"))
    }

    // MARK: plumbing

    /// open → connected, connecting → connecting, close/refused → disconnected; `nil` for anything else.
    static func connectionState(_ evolutionState: String?) -> ConnectionState? {
        switch evolutionState?.lowercased() {
        case "open": .connected
        case "connecting": .connecting
        case "close", "closed", "refused": .disconnected
        default: nil
        }
    }

    /// An instance name as one path segment.
    static func segment(_ name: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
    }

    /// One HTTP exchange with the key; transport failures become `ProviderError`s.
    func call(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> ProviderHTTPResponse {
        do {
            return try await http.send(method, url: baseURL + path, headers: [("apikey", apiKey)], json: body)
        } catch let failure as ProviderTransportFailure {
            throw transportError(failure)
        }
    }

    /// Throws the mapped error unless the response is a 2xx JSON answer.
    func requireSuccess(_ response: ProviderHTTPResponse, instance: String?, recipient: String? = nil) throws {
        guard response.isSuccess, !response.looksLikeHTML else {
            throw httpError(response, instance: instance, recipient: recipient)
        }
    }

    func decode<T: Decodable>(
        _ type: T.Type, _ response: ProviderHTTPResponse, instance: String?, recipient: String? = nil
    ) throws -> T {
        try requireSuccess(response, instance: instance, recipient: recipient)
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw invalidBody(status: response.status)
        }
    }
}
