import CRMCore
import Foundation

/// Turns Evolution's answers and transport failures into one-line `ProviderError`s that name
/// Evolution and what to check. Server texts are quoted only after masking digit runs (phone
/// numbers) and trimming; the key and the webhook URL (it holds a secret) are never quoted.
extension EvolutionClient {
    func providerError(_ reason: ProviderError.Reason, status: Int?, _ error: CRMError) -> ProviderError {
        ProviderError(provider: .evolution, reason: reason, status: status, error: error)
    }

    func transportError(_ failure: ProviderTransportFailure) -> ProviderError {
        switch failure {
        case .timeout:
            let seconds = http.configuration.requestTimeout.providerSecondsText
            return providerError(.timeout, status: nil, .unavailable(
                "Evolution API at \(displayHost) did not answer within \(seconds): try again, or check EVOLUTION_API_URL"))
        case .unreachable(let reason):
            return providerError(.unreachable, status: nil, .unavailable(
                "Cannot reach Evolution API at \(displayHost): \(reason): check EVOLUTION_API_URL and that Evolution is running"))
        }
    }

    /// A body that is not the JSON the endpoint documents.
    func invalidBody(status: Int) -> ProviderError {
        providerError(.invalidResponse, status: status, .unavailable(
            "Evolution API at \(displayHost) answered \(status) with a body crm cannot read: check EVOLUTION_API_URL"))
    }

    /// Maps a non-2xx (or HTML) response.
    func httpError(_ response: ProviderHTTPResponse, instance: String?, recipient: String?) -> ProviderError {
        let status = response.status
        if response.looksLikeHTML {
            return providerError(.invalidResponse, status: status, .unavailable(
                "Evolution API at \(displayHost) answered with an HTML page (\(status)), not JSON: check EVOLUTION_API_URL"))
        }
        let body = EvolutionErrorBody(response.body)
        let detail = body.map { Self.quote($0.messages) } ?? ""
        let instanceText = instance.map { "'\($0)'" } ?? ""
        switch status {
        case 401:
            return providerError(.unauthorized, status: status, .configuration(
                "Evolution API rejected the API key (401): check EVOLUTION_API_KEY"))
        case 403:
            return providerError(.forbidden, status: status, .configuration(
                "Evolution API refused the request (403)\(detail.isEmpty ? "" : ": \(detail)"): check EVOLUTION_API_KEY"))
        case 404:
            if let body, body.messages.contains(where: { $0.hasPrefix("Cannot ") }) {
                return providerError(.routeNotFound, status: status, .configuration(
                    "Evolution API at \(displayHost) does not know this endpoint (404): check EVOLUTION_API_URL and that the server runs Evolution API v2"))
            }
            return providerError(.instanceNotFound, status: status, .notFound(
                "Evolution API has no instance \(instanceText) (404): connect the unit's WhatsApp again"))
        case 400..<500 where status != 429:
            if let body, !body.numbersNotOnWhatsApp.isEmpty {
                let number = body.numbersNotOnWhatsApp.first.flatMap { $0.isEmpty ? nil : $0 } ?? recipient ?? ""
                return providerError(.invalidRecipient, status: status, .invalidInput(
                    "WhatsApp number \(Masking.phone(Self.digits(number))) is not on WhatsApp (Evolution API): check the contact's phone"))
            }
            if let body, body.messages.contains(where: {
                $0.localizedCaseInsensitiveContains("connection closed") || $0.localizedCaseInsensitiveContains("not connected")
            }) {
                return providerError(.notConnected, status: status, .unavailable(
                    "Evolution instance \(instanceText) is not connected to WhatsApp: scan its QR code again"))
            }
            return providerError(.rejected, status: status, .invalidInput(
                "Evolution API refused the request (\(status))\(detail.isEmpty ? "" : ": \(detail)")"))
        case 429, 500..<600:
            let phrase = EvolutionClientStatusText.phrase(status)
            return providerError(.serverError, status: status, .unavailable(
                "Evolution API answered \(status)\(phrase.isEmpty ? "" : " (\(phrase))"): try again later"))
        default:
            if body == nil {
                return invalidBody(status: status)
            }
            return providerError(.rejected, status: status, .configuration(
                "Evolution API at \(displayHost) answered \(status) unexpectedly: check EVOLUTION_API_URL"))
        }
    }

    /// Server texts for a message: digit runs of 8+ masked (they are phone numbers), one line, short.
    static func quote(_ messages: [String]) -> String {
        let joined = messages.map(maskDigitRuns).joined(separator: "; ")
        let oneLine = joined.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return oneLine.count > 160 ? String(oneLine.prefix(157)) + "…" : oneLine
    }

    static func maskDigitRuns(_ text: String) -> String {
        var result = ""
        var run = ""
        func flush() {
            result += run.count >= 8 ? Masking.phone(run) : run
            run = ""
        }
        for character in text {
            if character.isASCII, character.isNumber { run.append(character) } else { flush(); result.append(character) }
        }
        flush()
        return result
    }

    static func digits(_ text: String) -> String {
        String(text.filter { $0.isASCII && $0.isNumber })
    }
}

enum EvolutionClientStatusText {
    static func phrase(_ status: Int) -> String {
        switch status {
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: ""
        }
    }
}

extension Duration {
    /// "15 s", "0.3 s".
    var providerSecondsText: String {
        let milliseconds = self.providerMilliseconds
        if milliseconds % 1_000 == 0 { return "\(milliseconds / 1_000) s" }
        return String(format: "%.1f s", Double(milliseconds) / 1_000)
    }
}
