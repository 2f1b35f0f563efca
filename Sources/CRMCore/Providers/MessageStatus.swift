/// The delivery status of an outbound message (the `messages.status` column).
///
/// Providers report statuses out of order and more than once (Meta may skip `delivered`,
/// Evolution retries webhooks), so a status only ever moves forward:
/// `queued → sent → delivered → read`, and `failed` is terminal. The store applies this rule
/// with a conditional UPDATE (`WHERE status IN (allowedPredecessors)`), never read-then-write.
package enum MessageStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case queued
    case sent
    case delivered
    case read
    case failed

    /// Position on the success path; `failed` is off the path.
    private var progress: Int? {
        switch self {
        case .queued: 0
        case .sent: 1
        case .delivered: 2
        case .read: 3
        case .failed: nil
        }
    }

    /// Whether a message in this status may take `next`.
    ///
    /// - A success status may only move to a later success status (`read` can follow `sent`
    ///   directly; `sent` never follows `delivered`).
    /// - `failed` may follow `queued` or `sent` only: once the recipient's phone has the
    ///   message (`delivered`, `read`), a late failure report contradicts what is known.
    /// - Nothing follows `failed`, and a status never "advances" to itself.
    package func canAdvance(to next: MessageStatus) -> Bool {
        guard let current = progress else { return false }  // failed is terminal
        guard let target = next.progress else { return self == .queued || self == .sent }
        return target > current
    }

    /// The statuses from which a message may move to this one, in declaration order; what a
    /// conditional UPDATE lists in its `WHERE status IN (…)`.
    package var allowedPredecessors: [MessageStatus] {
        MessageStatus.allCases.filter { $0.canAdvance(to: self) }
    }

    /// Whether no further status can follow.
    package var isTerminal: Bool {
        MessageStatus.allCases.allSatisfy { !canAdvance(to: $0) }
    }
}
