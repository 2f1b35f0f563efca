import CRMCore
import Foundation
import QRCode

/// A unit's WhatsApp connection as the API shows it (`crm whatsapp status --json`'s keys, with
/// the unit's id), every key present (null when absent). The number is whole: the caller manages
/// this unit's connection.
struct APIConnection: Encodable {
    var unitId: UUID
    var connection: WhatsAppConnection
    var status: ConnectionStatus

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(unitId.text, forKey: .unitId)
        try container.encode(connection.provider.rawValue, forKey: .provider)
        try container.encode(connection.instanceName, forKey: .instance)
        try container.encode(status.state.rawValue, forKey: .state)
        try container.encode(status.reason?.rawValue, forKey: .statusReason)
        try container.encode(status.phone, forKey: .phone)
        try container.encode(status.connectedAt, forKey: .connectedAt)
        try container.encode(status.disconnectedAt, forKey: .disconnectedAt)
        try container.encode(status.qrUpdatedAt, forKey: .qrUpdatedAt)
    }

    private enum CodingKeys: String, CodingKey {
        case unitId, provider, instance, state, statusReason, phone, connectedAt, disconnectedAt, qrUpdatedAt
    }
}

/// The answer of `connect` and `qrcode`: the connection, and the code to scan as text (to draw
/// with any QR library), as a PNG data URL (for an `<img src>`), with the pairing code when the
/// provider gave one; all three `null` once connected, and always for Meta (no QR).
struct APIPairing: Encodable {
    var connection: APIConnection
    var code: QRCodeUpdate?
    /// Meta only: the callback URL to set in the Meta app (it holds the unit's webhook secret).
    var webhookURL: String?
    var createdInstance: Bool?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(connection, forKey: .connection)
        try container.encode(code?.qr, forKey: .qr)
        try container.encode(code.flatMap { Self.pngDataURL($0.qr) }, forKey: .qrImage)
        try container.encode(code?.pairingCode, forKey: .pairingCode)
        if let createdInstance {
            try container.encode(webhookURL, forKey: .webhookUrl)
            try container.encode(createdInstance, forKey: .createdInstance)
        }
    }

    private enum CodingKeys: String, CodingKey { case connection, qr, qrImage, pairingCode, webhookUrl, createdInstance }

    /// The code drawn by the QRCode target (8 pixels a module, the standard 4-module margin).
    static func pngDataURL(_ text: String) -> String? {
        guard let code = try? QRCode(text: text) else { return nil }
        return "data:image/png;base64," + Data(code.png(scale: 8, quietZone: 4)).base64EncodedString()
    }
}

/// The answer of `status`: the connection and where its state came from.
struct APIConnectionStatus: Encodable {
    var connection: APIConnection
    /// "provider" (asked just now) or "database" (the provider could not be asked).
    var source: String
    var sourceNote: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(connection, forKey: .connection)
        try container.encode(source, forKey: .source)
        try container.encode(sourceNote, forKey: .sourceNote)
    }

    private enum CodingKeys: String, CodingKey { case connection, source, sourceNote }
}
