import AsyncHTTPClient
import CRMCore
import Foundation
import Logging
import NIOHTTP1

/// Where and how to reach Meta's Graph API for one Cloud API phone number.
package struct MetaClientConfiguration: Sendable, CustomStringConvertible {
    /// The Graph API version used when the credentials name none.
    package static let defaultGraphVersion = "v23.0"

    /// `https://graph.facebook.com`; `credentials.baseURL` overrides it when set (the simulator, a proxy).
    package var baseURL: String
    package var credentials: MetaCredentials
    package var http: ProviderHTTPConfiguration

    package init(
        baseURL: String = "https://graph.facebook.com", credentials: MetaCredentials,
        http: ProviderHTTPConfiguration = ProviderHTTPConfiguration()
    ) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.http = http
    }

    /// Never shows the token or the app secret.
    package var description: String {
        "Meta Graph API at \(credentials.baseURL ?? baseURL) (phone number id \(credentials.phoneNumberId), token \(Masking.secret(credentials.accessToken)))"
    }
}

/// `WhatsAppProvider` over the WhatsApp Cloud API (Graph API). A Cloud API number has no session
/// and no QR code: "connecting" validates the phone number id and the access token with a real
/// call, and the port's `instance` is the phone number id. Reads and the webhook override are
/// retried on timeouts, 5xx, rate limits and garbage bodies; sends are tried once. Every failure is
/// a `ProviderError` naming Meta, the Graph error code and what to check; Graph's own `message` is
/// never quoted (it may echo the request), nor the token, the app secret or a full phone number.
package final class MetaClient: WhatsAppProvider {
    package var kind: ProviderKind { .meta }

    let http: ProviderHTTPClient
    let credentials: MetaCredentials
    /// `https://graph.facebook.com/v23.0`, without a trailing slash.
    private let versionedBase: String
    private let retry: ProviderRetryPolicy
    let logger: Logger
    /// `scheme://host[:port]` for messages: no credentials, no path.
    let displayHost: String

    /// Throws `CRMError.configuration` for a URL that is not http(s), an empty phone number id or
    /// token, or a Graph version not shaped `v<major>.<minor>`. Pass `httpClient` to share one;
    /// otherwise the client owns its own (call `shutdown()`).
    package init(
        configuration: MetaClientConfiguration, httpClient: HTTPClient? = nil,
        logger: Logger = Logger(label: "crm.providers.meta")
    ) throws {
        let credentials = configuration.credentials
        let url = try ProviderBaseURL(credentials.baseURL ?? configuration.baseURL, invalid: CRMError.configuration(
            "The Meta Graph API URL is not an http(s) URL: check the unit's Meta settings (crm whatsapp configure)"))
        guard !credentials.phoneNumberId.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CRMError.configuration("The Meta phone number id is empty: set it with crm whatsapp configure")
        }
        guard !credentials.accessToken.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CRMError.configuration("The Meta access token is empty: set it with crm whatsapp configure")
        }
        guard let version = Self.normalizedVersion(credentials.graphVersion) else {
            throw CRMError.configuration("The Meta Graph API version must look like v23.0: check the unit's Meta settings (crm whatsapp configure)")
        }
        self.versionedBase = url.base + "/" + version
        self.credentials = credentials
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

    /// Validates the credentials with `GET /{phone-number-id}`: a Cloud API number is connected as
    /// soon as Meta answers for it (never `created`, never a QR code).
    ///
    /// Then, when `webhookURL` is not empty, sets it as the number's alternate callback URL
    /// (`POST /{phone-number-id}` with `webhook_configuration.override_callback_uri` and the verify
    /// token; Meta's "Webhook overrides" page), so that each unit's number posts to its own URL.
    /// Meta verifies the URL (the `hub.challenge` handshake) before accepting it, so the listener
    /// must already be reachable. The override only takes effect for an app subscribed to the
    /// number's WhatsApp Business account (`POST /{WABA-ID}/subscribed_apps`): crm does not know
    /// the WABA id, so the operator subscribes the app once in the App Dashboard (which also holds
    /// the app's default callback URL, used when no override is set).
    package func ensureInstance(named name: String, webhookURL: String) async throws -> ProviderInstanceState {
        let id = numberId(name)
        _ = try await phoneNumber(id)
        if !webhookURL.isEmpty { try await setWebhookOverride(phoneNumberId: id, url: webhookURL) }
        return ProviderInstanceState(instance: id, created: false, state: .connected)
    }

    /// `POST /{phone-number-id}` `{"webhook_configuration": {"override_callback_uri", "verify_token"}}`.
    package func setWebhookOverride(phoneNumberId: String, url: String) async throws {
        guard url.count <= 200 else {
            throw providerError(.rejected, status: nil, CRMError.invalidInput(
                "The webhook URL is longer than the 200 characters Meta accepts: use a shorter public URL for the listener"))
        }
        let body = MetaClientWire.encode(MetaClientWire.WebhookOverrideRequest(
            webhookConfiguration: .init(overrideCallbackURI: url, verifyToken: credentials.verifyToken)))
        let id = numberId(phoneNumberId)
        try await retry.run("phoneNumber.webhookOverride", logger: logger) {
            let response = try await call(.POST, "/\(Self.segment(id))", body: body)
            let reply = try decode(MetaClientWire.SuccessResponse.self, response, phoneNumberId: id)
            guard reply.success == true else { throw invalidBody(status: response.status) }
        }
    }

    /// Meta has no QR code: a Cloud API number is registered in WhatsApp Manager, not paired.
    package func requestQRCode(instance: String) async throws -> QRCodeUpdate? { nil }

    /// `.connected` when Meta answers for the number with these credentials; a refused token
    /// throws `.unauthorized`, an unknown number `.instanceNotFound`.
    package func connectionState(instance: String) async throws -> ConnectionState {
        _ = try await phoneNumber(numberId(instance))
        return .connected
    }

    /// `display_phone_number` as digits ("+55 11 99999-0001" → "5511999990001").
    package func connectedPhone(instance: String) async throws -> String? {
        let number = try await phoneNumber(numberId(instance))
        let digits = String((number.displayPhoneNumber ?? "").filter { $0.isASCII && $0.isNumber })
        return digits.isEmpty ? nil : digits
    }

    /// Nothing to do at Meta: a Cloud API number has no session to end. Deregistering it
    /// (`POST /{id}/deregister`) would take it off WhatsApp for every app, so crm never does.
    package func logout(instance: String) async throws {}

    /// Nothing to do at Meta: the number belongs to the WhatsApp Business account, not to crm;
    /// removing the unit's connection only forgets the credentials on crm's side.
    package func deleteInstance(_ instance: String) async throws {}

    package func sendText(instance: String, to: String, text: String) async throws -> String {
        let digits = try recipientDigits(to)
        let body = MetaClientWire.encode(MetaClientWire.TextMessageRequest(to: digits, text: .init(body: text)))
        return try await send(body, phoneNumberId: numberId(instance), recipient: digits, template: nil)
    }

    /// The port's template send: `type: template` with the body parameters as text components.
    package func sendTemplate(instance: String, to: String, template: MessageTemplate) async throws -> String {
        try await sendTemplate(
            instance: instance, to: to, name: template.name, language: template.language, parameters: template.parameters)
    }

    /// Sends an approved message template (allowed outside the 24-hour window), its body variables
    /// filled in order with `parameters`. Returns the wamid; never retried, like `sendText`.
    package func sendTemplate(
        instance: String? = nil, to: String, name: String, language: String, parameters: [String] = []
    ) async throws -> String {
        let digits = try recipientDigits(to)
        let components = parameters.isEmpty ? nil : [MetaClientWire.TemplateMessageRequest.Template.Component(
            parameters: parameters.map { .init(text: $0) })]
        let body = MetaClientWire.encode(MetaClientWire.TemplateMessageRequest(
            to: digits, template: .init(name: name, language: .init(code: language), components: components)))
        return try await send(body, phoneNumberId: numberId(instance ?? ""), recipient: digits, template: name)
    }

    // MARK: plumbing

    /// `GET /{phone-number-id}?fields=…`, retried.
    private func phoneNumber(_ id: String) async throws -> MetaClientWire.PhoneNumber {
        try await retry.run("phoneNumber.get", logger: logger) {
            let response = try await call(.GET, "/\(Self.segment(id))?fields=\(MetaClientWire.phoneNumberFields)")
            return try decode(MetaClientWire.PhoneNumber.self, response, phoneNumberId: id)
        }
    }

    /// One `POST /{id}/messages`; never retried here: after a timeout the message may have gone out.
    private func send(_ body: Data, phoneNumberId id: String, recipient: String, template: String?) async throws -> String {
        let response = try await call(.POST, "/\(Self.segment(id))/messages", body: body)
        let reply = try decode(MetaClientWire.SendResponse.self, response, phoneNumberId: id, recipient: recipient, template: template)
        guard let wamid = reply.messages?.first?.id, !wamid.isEmpty else { throw invalidBody(status: response.status) }
        return wamid
    }

    /// The port's instance, or the configured phone number id when it is empty.
    func numberId(_ instance: String) -> String {
        instance.isEmpty ? credentials.phoneNumberId : instance
    }

    private func recipientDigits(_ to: String) throws -> String {
        let digits = String(to.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
        guard !digits.isEmpty else {
            throw providerError(.invalidRecipient, status: nil, CRMError.invalidInput(
                "The WhatsApp number is empty: give the contact's phone with its country code"))
        }
        return digits
    }

    /// "v23.0" from `nil`, "23.0" or "v23.0"; `nil` for anything else.
    static func normalizedVersion(_ version: String?) -> String? {
        guard let raw = version?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            return MetaClientConfiguration.defaultGraphVersion
        }
        let bare = raw.hasPrefix("v") || raw.hasPrefix("V") ? raw.dropFirst() : Substring(raw)
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        return "v" + bare
    }

    /// A phone number id as one path segment.
    static func segment(_ id: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id
    }

    /// One HTTP exchange with the bearer token; transport failures become `ProviderError`s.
    func call(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> ProviderHTTPResponse {
        do {
            return try await http.send(
                method, url: versionedBase + path, headers: [("Authorization", "Bearer \(credentials.accessToken)")], json: body)
        } catch let failure as ProviderTransportFailure {
            throw transportError(failure)
        }
    }

    func decode<T: Decodable>(
        _ type: T.Type, _ response: ProviderHTTPResponse, phoneNumberId: String, recipient: String? = nil, template: String? = nil
    ) throws -> T {
        guard response.isSuccess, !response.looksLikeHTML else {
            throw httpError(response, phoneNumberId: phoneNumberId, recipient: recipient, template: template)
        }
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw invalidBody(status: response.status)
        }
    }
}
