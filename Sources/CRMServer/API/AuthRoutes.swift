import CRMCore
import Foundation
import Hummingbird
import Logging

/// `POST /admin/login`, `POST /admin/refresh`, `POST /admin/logout`. The logs name the user's id
/// and the client's address, never an email, a password or a token.
struct AuthRoutes {
    let api: APIRoutes
    let metrics: MetricsRegistry

    struct LoginBody: Decodable {
        var email: String
        var password: String
    }

    struct RefreshBody: Decodable {
        var refreshToken: String
    }

    func add(to group: RouterGroup<ListenerContext>) {
        group.post("/admin/login") { request, context in try await login(request, context) }
        group.post("/admin/refresh") { request, context in try await refresh(request, context) }
        group.post("/admin/logout") { request, context in try await logout(request, context) }
    }

    private func login(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let body = try await APIJSON.decode(LoginBody.self, from: request, limit: api.configuration.maxBodyBytes)
        if let limited = api.logins.check(client: context.clientAddress, email: body.email, metrics: metrics) {
            context.logger.notice("login rate limited", metadata: ["client": "\(context.clientAddress)"])
            throw limited
        }
        let session: SessionService.Session
        do {
            session = try await api.sessions.login(email: body.email.trimmingCharacters(in: .whitespaces), password: body.password)
        } catch SessionService.Refusal.invalidCredentials {
            context.logger.notice("login refused", metadata: ["client": "\(context.clientAddress)"])
            throw APIError.unauthorized("invalid_credentials", "Wrong email or password.")
        }
        context.logger.info("login", metadata: ["user": "\(session.user.user.id.text)", "client": "\(context.clientAddress)"])
        return try await answer(session)
    }

    private func refresh(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let body = try await APIJSON.decode(RefreshBody.self, from: request, limit: api.configuration.maxBodyBytes)
        let session: SessionService.Session
        do {
            session = try await api.sessions.refresh(body.refreshToken)
        } catch SessionService.Refusal.refreshRefused(let verdict) {
            if verdict == .reused {
                context.logger.warning(
                    "a spent refresh token was presented again: its session is revoked", metadata: ["client": "\(context.clientAddress)"])
            }
            throw APIError.unauthorized("invalid_refresh_token", "The refresh token is not valid: sign in again (POST /admin/login).")
        }
        return try await answer(session)
    }

    private func logout(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let body = try await APIJSON.decode(RefreshBody.self, from: request, limit: api.configuration.maxBodyBytes)
        // The same answer whether or not the token was live: a logout tells nothing about tokens.
        if try await api.sessions.logout(body.refreshToken) {
            context.logger.info("logout", metadata: ["client": "\(context.clientAddress)"])
        }
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    /// The tokens of a session and its user.
    private func answer(_ session: SessionService.Session) async throws -> Response {
        let access = try await api.tokens.issue(for: session.user.user, epoch: session.user.sessionEpoch)
        return Response.apiJSON(
            TokenAnswer(
                accessToken: access.token, refreshToken: session.refreshToken, tokenType: "Bearer",
                expiresIn: Int(api.tokens.lifetime), refreshExpiresAt: session.refreshExpiresAt, user: APIUser(session.user.user)),
            status: .ok)
    }

    struct TokenAnswer: Encodable {
        var accessToken: String
        var refreshToken: String
        var tokenType: String
        /// Seconds until the access token expires.
        var expiresIn: Int
        var refreshExpiresAt: Date
        var user: APIUser
    }
}

/// A user as the API shows it.
struct APIUser: Encodable {
    var id: String
    var email: String
    var name: String?
    var role: String
    var unitId: String?

    init(_ user: User) {
        id = user.id.text
        email = user.email
        name = user.name
        role = user.role.rawValue
        unitId = user.unitId?.text
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(email, forKey: .email)
        try container.encode(name, forKey: .name)
        try container.encode(role, forKey: .role)
        try container.encode(unitId, forKey: .unitId)
    }

    private enum CodingKeys: String, CodingKey { case id, email, name, role, unitId }
}
