/// Where a unit's WhatsApp connection stands, as the CRM models it (the
/// `unit_whatsapp_connections.status` column). Each provider's own vocabulary is mapped onto it.
package enum ConnectionState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for the operator to scan a QR code (or enter a pairing code).
    case qr
    /// The provider is (re)opening the session.
    case connecting
    /// Paired and online.
    case connected
    /// Closed; see `ConnectionStatusReason` for whether a new scan is needed.
    case disconnected
}
