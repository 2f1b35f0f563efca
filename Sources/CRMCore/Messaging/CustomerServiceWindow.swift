import Foundation

/// Meta's customer service window: the Cloud API delivers free-form messages only within 24 hours
/// of the contact's last message to the business; outside it, only approved templates. crm checks
/// it before calling Meta (which would refuse with error 131047) and before storing anything.
package enum CustomerServiceWindow {
    package static let length: TimeInterval = 24 * 3600

    package enum State: Sendable, Equatable {
        /// Free text is allowed until `closesAt`.
        case open(closesAt: Date)
        /// Free text is refused: the contact last wrote at `lastInboundAt`, or never (`nil`).
        case closed(lastInboundAt: Date?)

        package var isOpen: Bool {
            if case .open = self { true } else { false }
        }
    }

    /// Open strictly before 24 hours have passed since `lastInboundAt` (at exactly 24 hours it has
    /// closed); closed when the contact never wrote. A last message dated after `now` (a provider's
    /// clock ahead of ours) counts as just now.
    package static func state(lastInboundAt: Date?, now: Date) -> State {
        guard let lastInboundAt else { return .closed(lastInboundAt: nil) }
        let closesAt = lastInboundAt.addingTimeInterval(length)
        return now < closesAt ? .open(closesAt: closesAt) : .closed(lastInboundAt: lastInboundAt)
    }
}
