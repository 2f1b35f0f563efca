import Foundation
import Synchronization

/// The listener's memory of webhook secrets it has just looked up (by their hash), so that a burst
/// of webhooks for a unit costs one database lookup per `ttl`, not one each. Only found secrets
/// are kept; a changed secret, a disconnected or deleted unit takes effect within `ttl`.
package final class SecretLookupCache: Sendable {
    private let entries = Mutex<[String: (connection: WhatsAppConnection, until: Date)]>([:])
    private let ttl: TimeInterval
    /// Beyond this many secrets (units), the cache starts over instead of growing.
    private let capacity: Int

    package init(ttl: TimeInterval, capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    func connection(hash: String, now: Date) -> WhatsAppConnection? {
        entries.withLock { entries in
            guard let entry = entries[hash] else { return nil }
            guard entry.until > now else {
                entries[hash] = nil
                return nil
            }
            return entry.connection
        }
    }

    func remember(_ connection: WhatsAppConnection, hash: String, now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[hash] = (connection, now.addingTimeInterval(ttl))
        }
    }
}
