/// Something crm learned about a connection, from a command that asked the provider or from a webhook.
package enum ConnectionObservation: Sendable, Equatable {
    /// A (new) QR code to scan; the provider waits for the phone.
    case qr(code: String, pairingCode: String?)
    /// The phone scanned, or the provider is reconnecting a known session.
    case connecting
    /// The session is open; `phone` when the provider said which number.
    case connected(phone: String?)
    /// The session closed: `.loggedOut` when the phone ended it (a new scan is needed), `.disconnected` otherwise.
    case disconnected(reason: ConnectionStatusReason)

    /// The observation a webhook event carries, if it concerns the connection.
    package init?(_ event: WebhookEvent) {
        switch event {
        case .qrUpdated(let update):
            self = .qr(code: update.qr, pairingCode: update.pairingCode)
        case .connectionChanged(let change):
            switch change.state {
            case .connecting: self = .connecting
            case .connected: self = .connected(phone: change.phone)
            case .disconnected: self = .disconnected(reason: change.reason == .loggedOut ? .loggedOut : .disconnected)
            case .qr: return nil  // QR codes arrive as qrUpdated, with the code
            }
        case .inboundMessage, .statusChanged:
            return nil
        }
    }
}
