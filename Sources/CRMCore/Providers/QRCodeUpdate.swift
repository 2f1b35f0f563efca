/// A new QR code to show the operator (`WebhookEvent.qrUpdated`). Providers rotate the code
/// about every 20 seconds until it is scanned.
package struct QRCodeUpdate: Sendable, Hashable {
    /// The provider's name for the number: Evolution `instance`.
    package var instance: String
    /// The string to encode in the QR symbol (`2@…,…,…,…`), not an image.
    package var qr: String
    /// The 8-character code for "link with phone number", when one was requested.
    package var pairingCode: String?

    /// Always `.qr`: a code on screen means the connection waits for a scan.
    package var state: ConnectionState { .qr }
    /// Always `.waitingScan`.
    package var reason: ConnectionStatusReason { .waitingScan }

    package init(instance: String, qr: String, pairingCode: String? = nil) {
        self.instance = instance
        self.qr = qr
        self.pairingCode = pairingCode
    }
}

extension QRCodeUpdate: Codable {
    private enum CodingKeys: String, CodingKey {
        case instance, qr, pairingCode, state, reason
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            instance: try container.decode(String.self, forKey: .instance),
            qr: try container.decode(String.self, forKey: .qr),
            pairingCode: try container.decodeIfPresent(String.self, forKey: .pairingCode)
        )
    }

    /// Writes the constant `state` and `reason` too, so that the encoded event reads the same
    /// as a `connectionChanged` one.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(instance, forKey: .instance)
        try container.encode(state, forKey: .state)
        try container.encode(reason, forKey: .reason)
        try container.encode(qr, forKey: .qr)
        try container.encodeIfPresent(pairingCode, forKey: .pairingCode)
    }
}
