import CRMCore
import Foundation
import HTTPTypes
import Hummingbird

/// An answer of the HTTP API that is not a success: `{"error": {"code", "message"}}`. The code is
/// stable for programs; the message is for people and never holds internals (SQL, stack traces,
/// tokens, passwords, full phone numbers).
package struct APIError: Error, Sendable, Equatable {
    package var status: HTTPResponse.Status
    package var code: String
    package var message: String
    /// Extra headers: `Retry-After` on 429, `WWW-Authenticate` on 401.
    package var headers: [String: String]

    package init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    static func invalidRequest(_ message: String) -> APIError { APIError(.badRequest, "invalid_request", message) }
    static func notFound(_ what: String = "No such resource.") -> APIError { APIError(.notFound, "not_found", what) }
    static let forbidden = APIError(.forbidden, "forbidden", "Your role may not do this in this unit.")

    /// 401 with the Bearer challenge (RFC 6750).
    static func unauthorized(_ code: String, _ message: String) -> APIError {
        APIError(.unauthorized, code, message, headers: ["WWW-Authenticate": "Bearer realm=\"crm\""])
    }

    static func rateLimited(retryAfter seconds: Int) -> APIError {
        APIError(.tooManyRequests, "rate_limited", "Too many attempts: try again in \(seconds) s.", headers: ["Retry-After": "\(seconds)"])
    }

    static let internalError = APIError(.internalServerError, "internal", "Something went wrong on the server; it has been logged.")

    /// A 404 or 403 from the roles policy (`nil` when allowed).
    init?(_ decision: AccessDecision, notFound what: String) {
        switch decision {
        case .allowed: return nil
        case .notFound: self = .notFound(what)
        case .forbidden: self = .forbidden
        }
    }

    /// A use case's error in the API's terms. Messages of kinds a client can act on are passed on
    /// (they are written for people and hold no internals); the others get a generic one.
    init(_ error: CRMError) {
        let message = error.apiMessage ?? error.message
        switch error.kind {
        case .invalidInput: self = .invalidRequest(message)
        case .notFound: self = .notFound(message)
        case .conflict: self = APIError(.conflict, "conflict", message)
        case .unavailable: self = APIError(.serviceUnavailable, "unavailable", "A service crm depends on is unavailable: try again later.")
        case .timedOut: self = APIError(.gatewayTimeout, "timed_out", "A service crm depends on did not answer in time: try again later.")
        case .configuration, .notConfirmed, .internal: self = .internalError
        }
    }

    var response: Response {
        var response = Response.apiJSON(Body(error: .init(code: code, message: message)), status: status)
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return response
    }

    private struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
        }
        var error: Detail
    }
}
