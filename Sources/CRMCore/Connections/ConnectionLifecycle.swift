import Foundation

/// The one place that decides how a connection's recorded status moves, so that the `crm whatsapp`
/// commands and the webhook listener always agree: qr → connecting → connected, and back to
/// disconnected (or to a new QR) when the session ends.
///
/// A pure function: the store runs it inside a transaction on the locked row.
package enum ConnectionLifecycle {
    /// The status after `observation`, seen at `date`. An observation older than the status's last
    /// change is stale (a webhook retried late) and leaves the status as it is.
    package static func apply(_ observation: ConnectionObservation, to status: ConnectionStatus, at date: Date)
        -> ConnectionStatus
    {
        if let changedAt = status.changedAt, date < changedAt { return status }
        var next = status
        switch observation {
        case .qr(let code, let pairingCode):
            next.state = .qr
            next.reason = .waitingScan
            next.qrCode = code
            next.pairingCode = pairingCode
            next.qrUpdatedAt = date
        case .connecting:
            next.state = .connecting
            // After a QR, connecting means the phone scanned it; otherwise the provider is resuming a session.
            next.reason = status.state == .qr ? .scanCompleted : nil
        case .connected(let phone):
            if status.state != .connected { next.connectedAt = date }
            next.state = .connected
            next.reason = .scanCompleted
            next.phone = phone ?? status.phone
            next.qrCode = nil
            next.pairingCode = nil
        case .disconnected(let reason):
            if status.state != .disconnected || status.disconnectedAt == nil { next.disconnectedAt = date }
            next.state = .disconnected
            next.reason = reason
            next.qrCode = nil
            next.pairingCode = nil
        }
        if next != status { next.changedAt = date }
        return next
    }
}
