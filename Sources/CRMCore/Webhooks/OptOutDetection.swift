import Foundation

/// Decides whether an incoming message opts its contact out: a contact's own text message (never
/// `fromMe`: our sends echoed back) whose whole text is one of its unit's opt-out keywords. Most
/// messages are rejected cheaply (`OptOutKeywords.matches`); the unit's keywords come from the
/// listener's cache when it has one, else from `store` (inside the caller's transaction).
struct OptOutDetection {
    let cache: OptOutKeywordCache?
    /// The cache's clock: the time of deciding, not the message's (a replayed body is old).
    let now: Date

    func optsOut(_ message: IncomingMessage, store: any OptOutKeywordStore) async throws -> Bool {
        guard !message.fromMe, message.kind == .text, let body = message.body else { return false }
        guard let cache else {
            // No cache (a command, inside its transaction): a text too long to be a keyword costs no query.
            guard let candidate = OptOutKeywords.candidate(body) else { return false }
            return try await store.optOutKeywords(unitId: message.unitId).contains(normalized: candidate)
        }
        // The listener: the keywords come from the cache, or are read and cached whatever the text,
        // so that every message after the first is decided without a query.
        if let keywords = cache.keywords(unitId: message.unitId, now: now) {
            return keywords.matches(body)
        }
        let keywords = try await store.optOutKeywords(unitId: message.unitId)
        cache.remember(keywords, unitId: message.unitId, now: now)
        return keywords.matches(body)
    }
}
