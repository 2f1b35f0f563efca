/// The connection of a number changed (`WebhookEvent.connectionChanged`).
package struct ConnectionChange: Sendable, Hashable, Codable {
    /// Evolution `instance` or Z-API `instanceId`.
    package var instance: String
    /// `.connecting`, `.connected` or `.disconnected` (QR codes arrive as `qrUpdated`).
    package var state: ConnectionState
    /// `scanCompleted` when connected; `loggedOut` or `disconnected` when disconnected;
    /// `nil` while connecting.
    package var reason: ConnectionStatusReason?
    /// The provider's numeric reason when the body has one (Baileys' disconnect codes:
    /// 401 logged out, 428 closed, 500 bad session…).
    package var code: Int?
    /// Digits of the connected number, when the body has it.
    package var phone: String?

    package init(
        instance: String,
        state: ConnectionState,
        reason: ConnectionStatusReason? = nil,
        code: Int? = nil,
        phone: String? = nil
    ) {
        self.instance = instance
        self.state = state
        self.reason = reason
        self.code = code
        self.phone = phone
    }
}
