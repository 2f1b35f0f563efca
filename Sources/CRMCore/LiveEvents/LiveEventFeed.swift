import Foundation

/// Follows the changes of some units from a resume point, for one subscriber.
///
/// Changes are read from the tables by their `updated_at`. A transaction that commits a moment
/// after a later one would slip behind a plain cursor, and a receipt may carry the provider's
/// slightly older timestamp: each poll therefore reads again the last `overlap` before the cursor
/// and drops what it already sent (by subject, state and time). A client that reconnects with
/// its `Last-Event-ID` may get an event twice, never miss one younger than `overlap`.
package struct LiveEventFeed: Sendable {
    package let store: any LiveEventStore
    package var pollInterval: Duration
    package var overlap: TimeInterval
    package var pageSize: Int

    package init(store: any LiveEventStore, pollInterval: Duration = .milliseconds(500), overlap: TimeInterval = 5, pageSize: Int = 500) {
        self.store = store
        self.pollInterval = pollInterval
        self.overlap = overlap
        self.pageSize = pageSize
    }

    /// One subscriber's state: its cursor, what it was sent lately, the campaign progress it saw.
    package struct Subscription: Sendable {
        package var cursor: Date
        /// Changes at or before it are not sent: a new subscriber gets what comes next, not the
        /// overlap's past (a resuming one has none: it may get an event twice, never lose one).
        let floor: Date?
        var sent: [String: Date] = [:]
        var progress: [UUID: [String: LiveEventValue]] = [:]

        /// `resuming`: from a `Last-Event-ID`; otherwise from now on.
        package init(from cursor: Date, resuming: Bool) {
            self.cursor = cursor
            floor = resuming ? nil : cursor
        }
    }

    /// The next events for `subscription` (possibly none), oldest first; advances it.
    package func poll(_ subscription: inout Subscription, unitIds: [UUID]?, campaigns: Bool, now: Date = Date()) async throws -> [LiveEvent] {
        let since = subscription.cursor.addingTimeInterval(-overlap)
        var events: [LiveEvent] = []
        var seen = Set<String>()
        var from = since
        // A burst may hold more than a page within the overlap: page on by time until a page is
        // not full (or enough is new), so that already-sent rows never hide the rest.
        for _ in 0..<20 {
            let page = try await store.liveChanges(unitIds: unitIds, since: from, limit: pageSize)
            for event in page where subscription.sent[event.key] == nil && event.changedAt > subscription.floor ?? .distantPast
                && seen.insert(event.key).inserted {
                events.append(event)
            }
            let messages = page.filter { $0.kind == .messageCreated || $0.kind == .messageStatus }
            guard messages.count >= pageSize, events.count < pageSize, let last = messages.last?.changedAt, last > from else { break }
            from = last.addingTimeInterval(-0.000_001)
        }
        if campaigns {
            for event in try await store.liveCampaignProgress(unitIds: unitIds, since: since)
            where subscription.progress[event.subjectId] != event.fields {
                subscription.progress[event.subjectId] = event.fields
                events.append(event)
            }
        }
        events.sort { $0.changedAt < $1.changedAt }
        for event in events where event.kind != .campaignProgress {
            subscription.sent[event.key] = event.changedAt
            subscription.cursor = max(subscription.cursor, event.changedAt)
        }
        // Keys older than the overlap can no longer be read again: forget them.
        let horizon = subscription.cursor.addingTimeInterval(-overlap)
        if subscription.sent.count > pageSize { subscription.sent = subscription.sent.filter { $0.value >= horizon } }
        return events
    }
}
