import CRMCore
import Foundation
import Hummingbird
import Logging

/// Turns whatever an API route throws into the API's error shape. Errors the routes did not
/// word themselves are logged by type (a message may hold what a client must not see) and
/// answered with a generic 500.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = ListenerContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as CRMError {
            let answer = APIError(error)
            if answer.status.code >= 500 {
                context.logger.error("API request failed", metadata: ["kind": "\(error.kind.rawValue)", "reason": "\(error.message)"])
            }
            return answer.response
        } catch let error as any HTTPResponseError {
            return Self.answer(httpStatus: error.status).response
        } catch {
            context.logger.error("API request failed", metadata: ["error": "\(type(of: error))"])
            return APIError.internalError.response
        }
    }

    /// Hummingbird's own refusals (a body too large, an unknown method) in the API's shape.
    static func answer(httpStatus status: HTTPResponse.Status) -> APIError {
        switch status {
        case .contentTooLarge: APIError(status, "payload_too_large", "The request body is too large.")
        case .notFound: .notFound()
        case .methodNotAllowed: APIError(status, "method_not_allowed", "This method is not allowed here.")
        case .badRequest: .invalidRequest("The request is malformed.")
        default: status.code >= 500 ? .internalError : APIError(status, "http_\(status.code)", status.reasonPhrase)
        }
    }
}
