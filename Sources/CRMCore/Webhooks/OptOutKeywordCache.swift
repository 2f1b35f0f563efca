import Foundation
import Synchronization

/// The listener's memory of each unit's opt-out keywords, so that deciding whether an inbound
/// message opts out costs one database read per unit per `ttl`, not one per short message. A
/// change (`crm units update --opt-out-keywords`) takes effect within `ttl`.
package final class OptOutKeywordCache: Sendable {
    private let entries = Mutex<[UUID: (keywords: OptOutKeywords, until: Date)]>([:])
    private let ttl: TimeInterval
    /// Beyond this many units, the cache starts over instead of growing.
    private let capacity: Int

    package init(ttl: TimeInterval, capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    func keywords(unitId: UUID, now: Date) -> OptOutKeywords? {
        entries.withLock { entries in
            guard let entry = entries[unitId] else { return nil }
            guard entry.until > now else {
                entries[unitId] = nil
                return nil
            }
            return entry.keywords
        }
    }

    func remember(_ keywords: OptOutKeywords, unitId: UUID, now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[unitId] = (keywords, now.addingTimeInterval(ttl))
        }
    }
}
