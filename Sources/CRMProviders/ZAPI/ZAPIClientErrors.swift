import CRMCore
import Foundation

/// Turns Z-API's answers and transport failures into one-line `ProviderError`s that name Z-API
/// and what to check. Server texts are quoted only after removing the tokens and masking digit
/// runs (phone numbers); the URL (it holds the instance token) is never quoted, only its host.
extension ZAPIClient {
    static let settingsHint = "crm whatsapp configure"

    func providerError(_ reason: ProviderError.Reason, status: Int?, _ error: CRMError) -> ProviderError {
        ProviderError(provider: .zapi, reason: reason, status: status, error: error)
    }

    func transportError(_ failure: ProviderTransportFailure) -> ProviderError {
        switch failure {
        case .timeout:
            let seconds = http.configuration.requestTimeout.providerSecondsText
            return providerError(.timeout, status: nil, .unavailable(
                "Z-API at \(displayHost) did not answer within \(seconds): try again, or check the unit's Z-API base URL"))
        case .unreachable(let reason):
            return providerError(.unreachable, status: nil, .unavailable(
                "Cannot reach Z-API at \(displayHost): \(reason): check the unit's Z-API base URL and the network"))
        }
    }

    /// A body that is not the JSON the endpoint documents.
    func invalidBody(status: Int) -> ProviderError {
        providerError(.invalidResponse, status: status, .unavailable(
            "Z-API at \(displayHost) answered \(status) with a body crm cannot read: check the unit's Z-API base URL"))
    }

    /// Maps a non-2xx (or HTML, or token-refusal) response.
    func httpError(_ response: ProviderHTTPResponse) -> ProviderError {
        let status = response.status
        if response.looksLikeHTML {
            return providerError(.invalidResponse, status: status, .unavailable(
                "Z-API at \(displayHost) answered with an HTML page (\(status)), not JSON: check the unit's Z-API base URL"))
        }
        let body = ZAPIErrorBody(response.body)
        if let body, body.isClientTokenRefusal {
            // Z-API echoes the refused token ("<token> not allowed"): never quoted.
            if !sendsClientToken || body.contains("null not allowed") {
                return providerError(.unauthorized, status: status, .configuration(
                    "Z-API requires the account's client token (Client-Token) and the unit has none (\(status)): add the unit's Z-API client token (\(Self.settingsHint))"))
            }
            return providerError(.unauthorized, status: status, .configuration(
                "Z-API rejected the client token (\(status)): check the unit's Z-API client token (\(Self.settingsHint))"))
        }
        let detail = body.map { quote($0.texts) } ?? ""
        let suffix = detail.isEmpty ? "" : ": \(detail)"
        switch status {
        case 401:
            return providerError(.unauthorized, status: status, .configuration(
                "Z-API rejected the credentials (401)\(suffix): check the unit's Z-API instance token and client token (\(Self.settingsHint))"))
        case 403:
            return providerError(.forbidden, status: status, .configuration(
                "Z-API refused the request (403)\(suffix): check the unit's Z-API client token and the account's IP restrictions"))
        case 404:
            if body == nil || body?.contains("Cannot ") == true {
                return providerError(.routeNotFound, status: status, .configuration(
                    "Z-API at \(displayHost) does not know this endpoint (404): check the unit's Z-API base URL"))
            }
            return providerError(.instanceNotFound, status: status, .notFound(
                "Z-API has no instance \(instanceId) with this token (404): check the unit's Z-API instance id and token (\(Self.settingsHint))"))
        case 400..<500 where status != 429:
            if let body, body.contains("not connected") {
                return providerError(.notConnected, status: status, .unavailable(
                    "Z-API instance \(instanceId) is not connected to WhatsApp: scan its QR code again"))
            }
            return providerError(.rejected, status: status, .invalidInput("Z-API refused the request (\(status))\(suffix)"))
        case 429, 500..<600:
            let phrase = EvolutionClientStatusText.phrase(status)
            return providerError(.serverError, status: status, .unavailable(
                "Z-API answered \(status)\(phrase.isEmpty ? "" : " (\(phrase))"): try again later"))
        default:
            if body == nil { return invalidBody(status: status) }
            return providerError(.rejected, status: status, .configuration(
                "Z-API at \(displayHost) answered \(status) unexpectedly: check the unit's Z-API base URL"))
        }
    }

    /// Server texts for a message: tokens removed, digit runs of 8+ masked, one line, short.
    func quote(_ texts: [String]) -> String {
        var scrubbed = texts.joined(separator: "; ")
        for secret in secrets where !secret.isEmpty {
            scrubbed = scrubbed.replacingOccurrences(of: secret, with: "****")
        }
        return EvolutionClient.quote([scrubbed])
    }
}
