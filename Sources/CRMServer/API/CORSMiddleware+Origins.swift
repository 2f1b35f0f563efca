import HTTPTypes
import Hummingbird

/// Answers browsers' CORS preflights and marks API answers readable by the allowed origins.
/// Requests without an `Origin` header (providers, scripts, `curl`) pass untouched; an origin not
/// in the list gets no CORS header, so the browser keeps the answer from the page.
struct AllowedOriginsMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowed: AllowedOrigins

    static var allowMethods: String { "GET, POST, PUT, PATCH, DELETE, OPTIONS" }
    static var allowHeaders: String { "Authorization, Content-Type, Last-Event-ID" }
    static var exposeHeaders: String { "Retry-After, Deprecation, Link" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let allowOrigin = allowed.allowOrigin(for: origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [.vary: "Origin"]
            if let allowOrigin {
                headers[.accessControlAllowOrigin] = allowOrigin
                headers[.accessControlAllowMethods] = Self.allowMethods
                headers[.accessControlAllowHeaders] = Self.allowHeaders
                headers[.accessControlMaxAge] = "600"
            }
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if let allowOrigin {
            response.headers[.accessControlAllowOrigin] = allowOrigin
            response.headers[.accessControlExposeHeaders] = Self.exposeHeaders
        }
        response.headers[.vary] = "Origin"
        return response
    }
}
