/// Why a connection is in its state (the `status_reason` column). Kept apart from the state
/// because "disconnected" covers both a transient drop and a logout that needs a new QR scan.
package enum ConnectionStatusReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// A QR code is showing and nobody has scanned it yet.
    case waitingScan = "waiting_scan"
    /// The phone scanned the code and the session opened.
    case scanCompleted = "scan_completed"
    /// The session closed for a reason that does not require a new pairing by itself.
    case disconnected
    /// The phone (or the provider) logged the session out: only a new scan brings it back.
    case loggedOut = "logged_out"
}
