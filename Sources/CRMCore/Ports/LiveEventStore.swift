import Foundation

/// Reads the changes `GET /events` streams, from the tables themselves (so every listener on a
/// shared PostgreSQL database sees every change, whichever process made it).
package protocol LiveEventStore: Sendable {
    /// Messages created or changed after `since` (oldest first, at most `limit`), and connections
    /// changed after it, of `unitIds` (`nil`: every unit).
    func liveChanges(unitIds: [UUID]?, since: Date, limit: Int) async throws -> [LiveEvent]
    /// The progress of campaigns running now or changed after `since`: status and recipients by state.
    func liveCampaignProgress(unitIds: [UUID]?, since: Date) async throws -> [LiveEvent]
}
