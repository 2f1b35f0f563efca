import CRMCore
import Foundation
import Logging

/// Turns Graph API answers and transport failures into one-line `ProviderError`s that name Meta,
/// the Graph error code and what to check. Graph's `message` may echo the request (numbers, ids),
/// so only the code and crm's own summary are shown; the token and the app secret never are.
extension MetaClient {
    /// Graph codes of throttling: app (4), WABA (80007), Cloud API throughput (130429), pair rate (131056).
    static let rateLimitCodes: Set<Int> = [4, 17, 32, 613, 80007, 130429, 131056]
    /// Temporary failures on Meta's side: unknown (1), service (2), "something went wrong" (131000), unavailable (131016).
    static let transientCodes: Set<Int> = [1, 2, 131000, 131016]
    /// Template problems: parameter count or format (132000, 132005, 132007, 132012), does not exist (132001), paused (132015), disabled (132016).
    static let templateCodes: Set<Int> = [132000, 132001, 132005, 132007, 132012, 132015, 132016]

    func providerError(_ reason: ProviderError.Reason, status: Int?, _ error: CRMError) -> ProviderError {
        ProviderError(provider: .meta, reason: reason, status: status, error: error)
    }

    func transportError(_ failure: ProviderTransportFailure) -> ProviderError {
        switch failure {
        case .timeout:
            let seconds = http.configuration.requestTimeout.providerSecondsText
            return providerError(.timeout, status: nil, .unavailable(
                "Meta Graph API at \(displayHost) did not answer within \(seconds): try again later"))
        case .unreachable(let reason):
            return providerError(.unreachable, status: nil, .unavailable(
                "Cannot reach Meta Graph API at \(displayHost): \(reason): check the network and the unit's Meta settings"))
        }
    }

    /// A body that is not the JSON the endpoint documents.
    func invalidBody(status: Int) -> ProviderError {
        providerError(.invalidResponse, status: status, .unavailable(
            "Meta Graph API at \(displayHost) answered \(status) with a body crm cannot read: try again later"))
    }

    /// Maps a non-2xx (or HTML) response, by Graph error code first, then by HTTP status.
    func httpError(_ response: ProviderHTTPResponse, phoneNumberId: String, recipient: String?, template: String?) -> ProviderError {
        let status = response.status
        if response.looksLikeHTML {
            return providerError(.invalidResponse, status: status, .unavailable(
                "Meta Graph API at \(displayHost) answered with an HTML page (\(status)), not JSON: check the unit's Meta settings"))
        }
        let graph = GraphErrorBody(response.body)
        if let graph {
            logger.debug("graph api error", metadata: [
                "status": "\(status)", "code": "\(graph.code.map(String.init) ?? "-")",
                "subcode": "\(graph.subcode.map(String.init) ?? "-")", "fbtrace_id": "\(graph.fbtraceId ?? "-")",
            ])
        }
        let code = graph?.code
        let label = code.map(String.init) ?? "HTTP \(status)"
        let phone = recipient.map { Masking.phone($0) } ?? "the recipient"

        if status == 401 || code == 190 || code == 102 || code == 104 || code == 0 {
            return providerError(.unauthorized, status: status, .configuration(
                "Meta rejected the access token (\(label)): check the unit's Meta access token (crm whatsapp configure)"))
        }
        if let code, code == 10 || (200...299).contains(code) {
            return providerError(.forbidden, status: status, .configuration(
                "Meta refused the request for lack of permission (\(code)): give the access token the whatsapp_business_messaging and whatsapp_business_management permissions"))
        }
        if let graph, graph.isUnknownObject {
            return providerError(.instanceNotFound, status: status, .notFound(
                "Meta knows no phone number id '\(phoneNumberId)' for this access token (100): check the phone number id (crm whatsapp configure)"))
        }
        switch code {
        case 131030:
            return providerError(.invalidRecipient, status: status, .invalidInput(
                "WhatsApp number \(phone) is not in the allowed list of Meta's test number (131030): add it in the App Dashboard, or use a production number"))
        case 131026, 131021:
            return providerError(.invalidRecipient, status: status, .invalidInput(
                "Meta cannot deliver to WhatsApp number \(phone) (\(label)): check that the contact's phone is on WhatsApp"))
        case 131047:
            return providerError(.rejected, status: status, .invalidInput(
                "More than 24 hours have passed since the contact's last message (131047): send an approved template instead"))
        case 133010:
            return providerError(.notConnected, status: status, .unavailable(
                "Meta phone number id '\(phoneNumberId)' is not registered with the Cloud API (133010): register it in WhatsApp Manager"))
        case 2200:
            return providerError(.rejected, status: status, .configuration(
                "Meta could not verify the webhook URL (2200): start `crm webhook serve` where BASE_URL points (public HTTPS), "
                    + "with the unit's verify token configured, then connect again"))
        case 132001:
            let name = template.map { "'\($0)'" } ?? "named"
            return providerError(.rejected, status: status, .invalidInput(
                "Meta has no approved template \(name) in that language (132001): check the template's name and language code in WhatsApp Manager"))
        case 132000:
            let name = template.map { "'\($0)'" } ?? ""
            return providerError(.rejected, status: status, .invalidInput(
                "Template \(name) takes another number of parameters (132000): give one parameter per body variable, in order"))
        case let code? where Self.templateCodes.contains(code):
            let name = template.map { "'\($0)'" } ?? ""
            return providerError(.rejected, status: status, .invalidInput(
                "Meta refused template \(name) (\(code)): check its name, language and parameters in WhatsApp Manager"))
        case let code? where Self.rateLimitCodes.contains(code):
            return providerError(.serverError, status: status, .unavailable(
                "Meta's rate limit was reached (\(code)): try again later"))
        case let code? where Self.transientCodes.contains(code) || graph?.isTransient == true:
            return providerError(.serverError, status: status, .unavailable(
                "Meta Graph API failed temporarily (\(code), HTTP \(status)): try again later"))
        default:
            break
        }
        switch status {
        case 429, 500..<600:
            return providerError(.serverError, status: status, .unavailable(
                "Meta Graph API answered \(status)\(code.map { " (\($0))" } ?? ""): try again later"))
        case 403:
            return providerError(.forbidden, status: status, .configuration(
                "Meta refused the request (\(label)): check the access token's permissions"))
        case 404 where graph == nil:
            return providerError(.routeNotFound, status: status, .configuration(
                "Meta Graph API at \(displayHost) does not know this endpoint (404): check the unit's Meta settings and Graph version"))
        case 400..<500:
            return providerError(.rejected, status: status, .invalidInput(
                "Meta refused the request (\(label)\(code != nil ? ", HTTP \(status)" : "")): check the message and the unit's Meta settings"))
        default:
            return graph == nil ? invalidBody(status: status) : providerError(.rejected, status: status, .configuration(
                "Meta Graph API at \(displayHost) answered \(status) unexpectedly (\(label))"))
        }
    }
}
