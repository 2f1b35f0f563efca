import Foundation

/// What crm records of a unit's WhatsApp connection (the status columns of `unit_whatsapp_connections`).
package struct ConnectionStatus: Sendable, Equatable, Codable {
    package var state: ConnectionState
    package var reason: ConnectionStatusReason?
    /// The QR text to show while `state` is `.qr`; cleared once connected or disconnected.
    package var qrCode: String?
    package var pairingCode: String?
    /// Digits of the connected number, kept after a disconnection so that people see which number it was.
    package var phone: String?
    package var connectedAt: Date?
    package var disconnectedAt: Date?
    package var qrUpdatedAt: Date?
    /// When the last observation changed this status: older observations (late webhooks) are ignored.
    package var changedAt: Date?

    package init(
        state: ConnectionState = .disconnected, reason: ConnectionStatusReason? = nil, qrCode: String? = nil,
        pairingCode: String? = nil, phone: String? = nil, connectedAt: Date? = nil, disconnectedAt: Date? = nil,
        qrUpdatedAt: Date? = nil, changedAt: Date? = nil
    ) {
        self.state = state
        self.reason = reason
        self.qrCode = qrCode
        self.pairingCode = pairingCode
        self.phone = phone
        self.connectedAt = connectedAt
        self.disconnectedAt = disconnectedAt
        self.qrUpdatedAt = qrUpdatedAt
        self.changedAt = changedAt
    }

    /// A connection that was just created and has not talked to its provider yet.
    package static let new = ConnectionStatus()
}
