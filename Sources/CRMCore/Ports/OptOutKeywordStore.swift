import Foundation

/// What the webhook ingestion reads to decide whether an inbound message opts its contact out.
package protocol OptOutKeywordStore: Sendable {
    /// The unit's opt-out keywords: its own, or the defaults when it set none (or no longer exists).
    func optOutKeywords(unitId: UUID) async throws -> OptOutKeywords
}
