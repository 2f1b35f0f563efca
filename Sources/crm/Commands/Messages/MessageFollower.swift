import CRMCore
import Foundation

/// Finds the messages `crm messages tail` has not printed yet: the latest few first, then, at each
/// poll, every matching message that appeared since.
///
/// Following a cursor alone (rows after the newest one printed) loses rows: a writer whose
/// transaction commits after a newer message's (another listener, a slow transaction) or a row
/// that ties the newest instant with a lower id lands behind the cursor, never to be read. So each
/// poll reads again the last `lookback` seconds before the newest message printed and skips the
/// ids already printed; only a row committed more than `lookback` seconds late is missed.
struct MessageFollower {
    static let lookback: TimeInterval = 10

    let store: any MessageReadStore
    let filter: MessageFilter
    /// Rows asked for per query; a larger burst takes several queries, never loses any.
    let pageSize: Int
    /// Nothing at or before the oldest message of the backlog is printed: that is history, not news.
    private var floor: MessageCursor?
    /// The newest creation time printed: polls reread from `lookback` before it.
    private var newest: Date?
    /// Ids printed within reach of the next poll, with their creation time (to forget them later).
    private var printed: [UUID: Date] = [:]

    /// `filter` names the unit and contact; its limit is how many past messages `start()` returns.
    init(store: any MessageReadStore, filter: MessageFilter, pageSize: Int = 500) {
        self.store = store
        self.filter = filter
        self.pageSize = pageSize
    }

    /// The latest `filter.limit` messages, oldest first.
    mutating func start() async throws -> [MessageRecord] {
        let latest = try await store.messages(filter).reversed().map { $0 }
        floor = latest.first.map { MessageCursor($0.message) }
        for record in latest { remember(record.message) }
        return latest
    }

    /// The messages not yet returned, in stored order (a late one may come after newer ones).
    mutating func poll() async throws -> [MessageRecord] {
        var query = filter
        query.order = .oldestFirst
        query.limit = pageSize
        // With nothing printed yet, nothing matched at the start: everything found now is new.
        query.since = newest.map { $0.addingTimeInterval(-Self.lookback) }
        var cursor = floor
        var found: [MessageRecord] = []
        while true {
            query.after = cursor
            let page = try await store.messages(query)
            for record in page where printed[record.message.id] == nil {
                found.append(record)
                remember(record.message)
            }
            guard page.count == pageSize, let last = page.last else { break }
            cursor = MessageCursor(last.message)
        }
        forgetUnreachable()
        return found
    }

    private mutating func remember(_ message: Message) {
        printed[message.id] = message.createdAt
        if newest.map({ message.createdAt > $0 }) ?? true { newest = message.createdAt }
    }

    /// Drops ids the next poll cannot return again (one second of margin for timestamp rounding).
    private mutating func forgetUnreachable() {
        guard let newest else { return }
        let reach = newest.addingTimeInterval(-Self.lookback - 1)
        printed = printed.filter { $0.value >= reach }
    }
}
