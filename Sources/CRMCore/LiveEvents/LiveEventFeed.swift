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
    package var overlap: TimeInterval
    package var pageSize: Int

    package init(store: any LiveEventStore, overlap: TimeInterval = 5, pageSize: Int = 500) {
        self.store = store
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

        /// Whether `event` would be sent: not sent already, not before the floor.
        func isNew(_ event: LiveEvent) -> Bool {
            event.kind == .campaignProgress
                ? progress[event.subjectId] != event.fields
                : sent[event.key] == nil && event.changedAt > floor ?? .distantPast
        }

        /// The events of `candidates` not sent yet, oldest first, recorded as sent: a change read
        /// twice (the overlap, or from both a catch-up read and the hub) goes out once, and a
        /// campaign's progress only when its counts changed.
        package mutating func admit(_ candidates: [LiveEvent]) -> [LiveEvent] {
            var events: [LiveEvent] = []
            for event in candidates.sorted(by: { $0.changedAt < $1.changedAt }) where isNew(event) {
                if event.kind == .campaignProgress {
                    progress[event.subjectId] = event.fields
                } else {
                    sent[event.key] = event.changedAt
                    cursor = max(cursor, event.changedAt)
                }
                events.append(event)
            }
            // Keys a minute behind the cursor are past any overlap: they cannot be read again.
            if sent.count > 2_000 {
                let horizon = cursor.addingTimeInterval(-60)
                sent = sent.filter { $0.value >= horizon }
            }
            return events
        }
    }

    /// The next events for `subscription` (possibly none), oldest first; advances it.
    package func poll(_ subscription: inout Subscription, unitIds: [UUID]?, campaigns: Bool) async throws -> [LiveEvent] {
        let since = subscription.cursor.addingTimeInterval(-overlap)
        var candidates: [LiveEvent] = []
        var fresh = 0
        var from = since
        // A burst may hold more than a page within the overlap: page on by time until a page is
        // not full (or enough is new), so that already-sent rows never hide the rest.
        for _ in 0..<20 {
            let page = try await store.liveChanges(unitIds: unitIds, since: from, limit: pageSize)
            candidates += page
            fresh += page.count { subscription.isNew($0) }
            let messages = page.filter { $0.kind == .messageCreated || $0.kind == .messageStatus }
            guard messages.count >= pageSize, fresh < pageSize, let last = messages.last?.changedAt, last > from else { break }
            from = last.addingTimeInterval(-0.000_001)
        }
        if campaigns {
            candidates += try await store.liveCampaignProgress(unitIds: unitIds, since: since)
        }
        return subscription.admit(candidates)
    }
}
