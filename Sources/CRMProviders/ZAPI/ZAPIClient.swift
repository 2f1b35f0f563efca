import AsyncHTTPClient
import CRMCore
import Foundation
import Logging
import NIOHTTP1

/// Where and how to reach one Z-API instance.
package struct ZAPIClientConfiguration: Sendable, CustomStringConvertible {
    /// Z-API's API host; `credentials.baseURL`, when set, overrides it (a path prefix is kept).
    package var baseURL: String
    package var credentials: ZAPICredentials
    package var http: ProviderHTTPConfiguration

    package init(
        baseURL: String = "https://api.z-api.io", credentials: ZAPICredentials,
        http: ProviderHTTPConfiguration = ProviderHTTPConfiguration()
    ) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.http = http
    }

    /// The base actually used.
    package var effectiveBaseURL: String {
        let override = credentials.baseURL?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return override.isEmpty ? baseURL : override
    }

    /// Never shows a token.
    package var description: String {
        "Z-API at \(effectiveBaseURL) (instance \(credentials.instanceId), token \(Masking.secret(credentials.instanceToken)))"
    }
}

/// `WhatsAppProvider` over Z-API's REST API, for one instance: every call goes to
/// `{base}/instances/{instanceId}/token/{instanceToken}/…` with the account's `Client-Token`
/// header when the credentials have one. Z-API instances are made (and paid for) in Z-API's
/// dashboard, so `ensureInstance` only points the instance's webhooks at the CRM, and the
/// `instance` argument of every call must be the configured instance id.
///
/// Idempotent calls are retried on timeouts, 5xx and garbage bodies; `sendText` is tried once.
/// Every failure is a `ProviderError` naming Z-API and what to check, never a token or a full
/// phone number.
package final class ZAPIClient: WhatsAppProvider {
    package var kind: ProviderKind { .zapi }

    let http: ProviderHTTPClient
    /// `{base}/instances/{id}/token/{token}`: holds the token, never shown.
    private let instanceBase: String
    private let clientToken: String?
    /// The tokens, to scrub from any server text quoted in a message.
    let secrets: [String]
    private let retry: ProviderRetryPolicy
    private let logger: Logger
    /// The configured instance id.
    let instanceId: String
    /// Whether requests carry a `Client-Token`.
    var sendsClientToken: Bool { clientToken != nil }
    /// `scheme://host[:port]` for messages: no credentials, no path.
    let displayHost: String

    /// Throws `CRMError.configuration` for a base URL that is not http(s), or an empty instance
    /// id or token. Pass `httpClient` to share one; otherwise call `shutdown()`.
    package init(
        configuration: ZAPIClientConfiguration, httpClient: HTTPClient? = nil,
        logger: Logger = Logger(label: "crm.providers.zapi")
    ) throws {
        let url = try ProviderBaseURL(configuration.effectiveBaseURL, invalid: CRMError.configuration(
            "The Z-API base URL is not an http(s) URL: check the unit's Z-API settings (crm whatsapp configure)"))
        let credentials = configuration.credentials
        let id = credentials.instanceId.trimmingCharacters(in: .whitespacesAndNewlines)
        let token = credentials.instanceToken.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !id.isEmpty else {
            throw CRMError.configuration("The Z-API instance id is empty: set the unit's Z-API instance id (crm whatsapp configure)")
        }
        guard !token.isEmpty else {
            throw CRMError.configuration("The Z-API instance token is empty: set the unit's Z-API instance token (crm whatsapp configure)")
        }
        let base = url.base
        let client = credentials.clientToken?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.clientToken = client?.isEmpty == false ? client : nil
        self.instanceId = id
        self.instanceBase = base + "/instances/" + Self.segment(id) + "/token/" + Self.segment(token)
        self.secrets = [token, self.clientToken].compactMap { $0 }
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

    /// Points every callback the CRM needs at `webhookURL`, then reports the state, with the
    /// current QR when the number is not paired. Never creates anything (`created` is false).
    package func ensureInstance(named name: String, webhookURL: String) async throws -> ProviderInstanceState {
        try requireConfigured(name)
        try await setWebhooks(url: webhookURL)
        let state = try await connectionState(instance: name)
        guard state != .connected else { return ProviderInstanceState(instance: name, created: false, state: .connected) }
        guard let qr = try await requestQRCode(instance: name) else {
            return ProviderInstanceState(instance: name, created: false, state: .connected)
        }
        return ProviderInstanceState(instance: name, created: false, state: .qr, qrCode: qr)
    }

    /// `PUT …/update-webhook-{received-delivery,delivery,message-status,connected,disconnected}`.
    package func setWebhooks(url: String) async throws {
        let body = ZAPIClientWire.encode(ZAPIClientWire.WebhookRequest(value: url))
        for (kind, path) in ZAPIClientWire.webhookEndpoints {
            try await retry.run("webhook.\(kind)", logger: logger) {
                let response = try await call(.PUT, path, body: body)
                let reply = try decode(ZAPIClientWire.ValueResponse.self, response)
                guard reply.value != false else {
                    throw providerError(.rejected, status: response.status, .invalidInput(
                        "Z-API refused the \(kind) webhook URL: Z-API accepts only public https URLs; check the listener's public URL"))
                }
            }
        }
    }

    /// `nil` when connected. Reads `/status` first: Z-API refuses `/qr-code` on a paired number.
    package func requestQRCode(instance: String) async throws -> QRCodeUpdate? {
        try requireConfigured(instance)
        guard try await connectionState(instance: instance) != .connected else { return nil }
        return try await retry.run("qr-code", logger: logger) {
            let response = try await call(.GET, "/qr-code")
            if response.status == 409 { return nil }  // paired in the meantime
            let reply = try decode(ZAPIClientWire.QRCodeResponse.self, response)
            if let code = reply.value, !code.isEmpty, !code.hasPrefix("data:") {
                return QRCodeUpdate(instance: instance, qr: code)
            }
            if reply.connected == true { return nil }
            // A not-yet-started session answers without a code: asking again shortly helps.
            throw providerError(.invalidResponse, status: response.status, .unavailable(
                "Z-API has no QR code for instance \(instance) yet: try again in a few seconds"))
        }
    }

    /// `GET /status`: `connected` → connected; anything else → disconnected. Z-API's status does
    /// not tell "waiting for a scan" from "closed" (a not-connected instance always serves a QR),
    /// so the QR state comes only from `requestQRCode`/`ensureInstance`, with the code.
    package func connectionState(instance: String) async throws -> ConnectionState {
        try requireConfigured(instance)
        return try await retry.run("status", logger: logger) {
            let response = try await call(.GET, "/status")
            let reply = try decode(ZAPIClientWire.StatusResponse.self, response)
            return reply.connected ? .connected : .disconnected
        }
    }

    /// `GET /device` (`phone`) once `/status` says connected; `nil` otherwise.
    package func connectedPhone(instance: String) async throws -> String? {
        guard try await connectionState(instance: instance) == .connected else { return nil }
        return try await retry.run("device", logger: logger) {
            let response = try await call(.GET, "/device")
            let reply = try decode(ZAPIClientWire.DeviceResponse.self, response)
            let digits = String((reply.phone ?? "").prefix { $0 != "@" && $0 != ":" }.filter { $0.isASCII && $0.isNumber })
            return digits.isEmpty ? nil : digits
        }
    }

    /// `GET /disconnect`; "not connected" counts as done.
    package func logout(instance: String) async throws {
        try requireConfigured(instance)
        try await retry.run("disconnect", logger: logger) {
            let response = try await call(.GET, "/disconnect")
            if (400..<500).contains(response.status), ZAPIErrorBody(response.body)?.contains("not connected") == true {
                return
            }
            _ = try decode(ZAPIClientWire.ValueResponse.self, response)
        }
    }

    /// Succeeds without a call: a Z-API instance is a subscription created and cancelled in
    /// Z-API's dashboard (or its partner API, with account credentials the CRM does not hold);
    /// the instance API cannot remove it. Log out first to end the WhatsApp session.
    package func deleteInstance(_ instance: String) async throws {
        try requireConfigured(instance)
        logger.debug("z-api instances are removed in Z-API's dashboard; nothing to delete", metadata: ["instance": "\(instance)"])
    }

    package func sendText(instance: String, to: String, text: String) async throws -> String {
        try requireConfigured(instance)
        let digits = String(to.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
        guard !digits.isEmpty else {
            throw providerError(.invalidRecipient, status: nil, .invalidInput(
                "The WhatsApp number is empty: give the contact's phone with its country code"))
        }
        let body = ZAPIClientWire.encode(ZAPIClientWire.SendTextRequest(phone: digits, message: text))
        // Never retried here: after a timeout the message may have gone out; the send queue decides.
        let response = try await call(.POST, "/send-text", body: body)
        let reply = try decode(ZAPIClientWire.SendTextResponse.self, response)
        guard let id = [reply.messageId, reply.id].compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw invalidBody(status: response.status)
        }
        return id
    }

    /// Z-API has no Meta message templates: refused before any call.
    package func sendTemplate(instance: String, to: String, template: MessageTemplate) async throws -> String {
        throw providerError(.unsupported, status: nil, .invalidInput(
            "Z-API has no message templates (a Meta Cloud API feature): send free text instead"))
    }

    // MARK: plumbing

    /// The port names the instance on every call; a Z-API client serves exactly one.
    func requireConfigured(_ instance: String) throws {
        guard instance == instanceId else {
            throw providerError(.rejected, status: nil, CRMError(.internal,
                "The Z-API client for instance \(instanceId) was asked about instance \(instance): this is a bug in crm"))
        }
    }

    /// A path component, percent-encoded.
    static func segment(_ value: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%;")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// One HTTP exchange with the credentials; transport failures become `ProviderError`s.
    func call(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> ProviderHTTPResponse {
        let headers = clientToken.map { [("Client-Token", $0)] } ?? []
        do {
            return try await http.send(method, url: instanceBase + path, headers: headers, json: body)
        } catch let failure as ProviderTransportFailure {
            throw transportError(failure)
        }
    }

    /// Decodes a 2xx JSON answer; anything else throws the mapped error.
    func decode<T: Decodable>(_ type: T.Type, _ response: ProviderHTTPResponse) throws -> T {
        guard response.isSuccess, !response.looksLikeHTML else { throw httpError(response) }
        // A refused Client-Token is an error whatever status carries it.
        if ZAPIErrorBody(response.body)?.isClientTokenRefusal == true { throw httpError(response) }
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw invalidBody(status: response.status)
        }
    }
}
