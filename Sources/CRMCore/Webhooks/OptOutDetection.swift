import Foundation

/// Decides whether an incoming message opts its contact out: a contact's own text message (never
/// `fromMe`: our sends echoed back) whose whole text is one of its unit's opt-out keywords. Only
/// short texts are compared, so most messages cost nothing; the unit's keywords come from the
/// listener's cache when it has one, else from `store` (inside the caller's transaction).
struct OptOutDetection {
    let cache: OptOutKeywordCache?
    /// The cache's clock: the time of deciding, not the message's (a replayed body is old).
    let now: Date

    func optsOut(_ message: IncomingMessage, store: any OptOutKeywordStore) async throws -> Bool {
        guard !message.fromMe, message.kind == .text, let body = message.body else { return false }
        if let keywords = cache?.keywords(unitId: message.unitId, now: now) {
            return keywords.matches(body)
        }
        guard let candidate = OptOutKeywords.candidate(body) else { return false }
        let keywords = try await store.optOutKeywords(unitId: message.unitId)
        cache?.remember(keywords, unitId: message.unitId, now: now)
        return keywords.contains(normalized: candidate)
    }
}
