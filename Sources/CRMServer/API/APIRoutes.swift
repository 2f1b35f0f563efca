import CRMCore
import Foundation
import Hummingbird
import NIOPosix

/// What the HTTP API reads and writes, through CRMCore's ports.
package typealias APIStore = SessionStore & Store & MessageReadStore & SendService.SendStore & LiveEventStore & CampaignStore

/// The HTTP API served beside the webhooks with `crm webhook serve --enable-api`: sign-in
/// (`/admin/login`, `/admin/refresh`, `/admin/logout`), messages, conversations and contacts,
/// a unit's WhatsApp connection, units and users, campaigns. Every route answers errors as
/// `{"error": {"code", "message"}}`; every decision on who may do what is `AccessPolicy`'s.
package struct APIRoutes: Sendable {
    let configuration: APIConfiguration
    let store: any APIStore
    let sessions: SessionService
    let tokens: AccessTokens
    let logins: LoginRateLimits
    let providers: APIProviders
    let hasher: any PasswordHasher
    /// API requests per signed-in user.
    let perUser: TokenBucketLimiter
    let metrics: MetricsRegistry
    /// The live feed `GET /events` streams from; the listener runs it (`LiveEventHubService`).
    package let events: LiveEventHub

    /// `hasher` checks passwords on NIO's thread pool, never on the cooperative one; its decoy hash
    /// (for unknown emails) is made here, once, at the same cost as new passwords.
    package init(
        configuration: APIConfiguration, store: any APIStore, hasher: any PasswordHasher, providers: APIProviders, metrics: MetricsRegistry,
        events: LiveEventHub
    ) async {
        self.events = events
        self.configuration = configuration
        self.store = store
        self.hasher = hasher
        self.providers = providers
        let check: SessionService.PasswordCheck = { password, hash in
            (try? await NIOThreadPool.singleton.runIfActive { hasher.verify(password, hash: hash) }) ?? false
        }
        let decoy = (try? await NIOThreadPool.singleton.runIfActive { hasher.hash(UUID().uuidString) }) ?? ""
        sessions = SessionService(
            store: store, checkPassword: check, decoyHash: decoy, refreshTokenLifetime: configuration.refreshTokenLifetime)
        tokens = await AccessTokens(secret: configuration.accessSecret, lifetime: configuration.accessTokenLifetime)
        logins = LoginRateLimits(attemptsPerMinute: configuration.loginAttemptsPerMinute)
        let perMinute = configuration.requestsPerUserPerMinute
        perUser = TokenBucketLimiter(RateLimitConfiguration(requestsPerSecond: Double(perMinute) / 60, burst: perMinute))
        self.metrics = metrics
    }

    func add(to router: Router<ListenerContext>, metrics: MetricsRegistry) {
        let group = router.group().add(middleware: APIErrorMiddleware())
        AuthRoutes(api: self, metrics: metrics).add(to: group)
        MessageRoutes(api: self).add(to: group)
        ConversationRoutes(api: self).add(to: group)
        ContactRoutes(api: self).add(to: group)
        WhatsAppRoutes(api: self).add(to: group)
        UnitRoutes(api: self).add(to: group)
        UserRoutes(api: self).add(to: group)
        EventRoutes(api: self).add(to: group)
        CampaignRoutes(api: self).add(to: group)
    }

    /// The signed-in user a request's `Authorization: Bearer` token speaks for, checked against
    /// the user's current state: a disabled user, or one whose role, unit or password changed
    /// since the token was issued, is refused.
    func principal(of request: Request) async throws -> Principal {
        try await principal(authorization: request.headers[.authorization])
    }

    /// The same from an `Authorization` value (`GET /events` also takes the token from its query).
    func principal(authorization: String?) async throws -> Principal {
        guard let header = authorization, header.count > 7,
              header.prefix(7).lowercased() == "bearer "
        else {
            throw APIError.unauthorized("unauthorized", "Sign in first: send Authorization: Bearer <accessToken> (POST /admin/login).")
        }
        let claims: (userId: UUID, epoch: Int)
        do {
            claims = try await tokens.verify(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        } catch .expired {
            throw APIError.unauthorized("token_expired", "The access token has expired: get a new one with POST /admin/refresh.")
        } catch {
            throw APIError.unauthorized("invalid_token", "The access token is not valid: sign in again (POST /admin/login).")
        }
        guard let user = try await sessions.currentUser(id: claims.userId, epoch: claims.epoch) else {
            throw APIError.unauthorized(
                "session_ended", "This session has ended (the account was disabled or changed): sign in again (POST /admin/login).")
        }
        if let seconds = perUser.take(user.id.uuidString, now: .now).retryAfterSeconds {
            metrics.increment(CRMMetrics.httpRateLimited, labels: ["scope": "api_user"])
            throw APIError(.tooManyRequests, "rate_limited", "Too many requests: try again in \(seconds) s.",
                           headers: ["Retry-After": "\(seconds)"])
        }
        return Principal(user)
    }
}
