import CRMCore
import CRMProviders
import Foundation

/// What the pairing commands share: the use case, the provider adapter of a connection, the views.
enum WhatsAppSupport {
    static func pairing(_ context: CommandContext) -> PairingService {
        PairingService(store: context.store, secretBox: { try SecretBox.fromEnvironment() })
    }

    /// The adapter for `connection`, with its credentials opened (CRM_SECRET_KEY for Meta and Z-API).
    /// `maxConnections`: provider requests at once (the client's default of 8 when `nil`).
    static func provider(for connection: WhatsAppConnection, unit: BusinessUnit, maxConnections: Int? = nil) throws -> ProviderHandle {
        let settings = try ConnectionSecrets.settings(of: connection, unitSlug: unit.slug, box: { try SecretBox.fromEnvironment() })
        return try ProviderClients.make(settings, maxConnections: maxConnections)
    }

    /// `--base-url`, else BASE_URL, checked.
    static func webhookBase(_ option: String?) throws -> String {
        try WebhookEndpoint.validatedBase(option ?? ProcessInfo.processInfo.environment[WebhookEndpoint.baseURLVariable])
    }

    static func providerName(_ kind: ProviderKind) -> String {
        switch kind {
        case .evolution: "Evolution API"
        case .meta: "Meta Cloud API"
        case .zapi: "Z-API"
        }
    }

    static func connectedLine(unit: BusinessUnit, status: ConnectionStatus, already: Bool) -> String {
        let number = status.phone.map { " as \(PhoneDisplay.masked($0))" } ?? ""
        return already ? "Unit \(unit.slug) is already connected\(number)." : "Connected\(number)."
    }
}

/// A connection's state as `status`, `connect --json` and `qrcode --json` print it. The number is
/// masked; the QR text appears only where the command's purpose is to hand it over.
struct ConnectionView: Encodable {
    var unit: String
    var provider: String
    var instance: String
    var state: String
    var statusReason: String?
    var phone: String?
    var connectedAt: Date?
    var disconnectedAt: Date?
    var qrUpdatedAt: Date?

    init(unit: BusinessUnit, connection: WhatsAppConnection, status: ConnectionStatus) {
        self.unit = unit.slug
        provider = connection.provider.rawValue
        instance = connection.instanceName
        state = status.state.rawValue
        statusReason = status.reason?.rawValue
        phone = status.phone.map(PhoneDisplay.masked)
        connectedAt = status.connectedAt
        disconnectedAt = status.disconnectedAt
        qrUpdatedAt = status.qrUpdatedAt
    }

    /// Encodes absent values as null so that scripts always find every key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(unit, forKey: .unit)
        try container.encode(provider, forKey: .provider)
        try container.encode(instance, forKey: .instance)
        try container.encode(state, forKey: .state)
        try container.encode(statusReason, forKey: .statusReason)
        try container.encode(phone, forKey: .phone)
        try container.encode(connectedAt, forKey: .connectedAt)
        try container.encode(disconnectedAt, forKey: .disconnectedAt)
        try container.encode(qrUpdatedAt, forKey: .qrUpdatedAt)
    }

    private enum CodingKeys: String, CodingKey {
        case unit, provider, instance, state, statusReason, phone, connectedAt, disconnectedAt, qrUpdatedAt
    }

    /// The lines people read.
    var lines: [(String, String)] {
        func date(_ value: Date?) -> String { value?.shortDisplay ?? "—" }
        return [
            ("Unit", unit),
            ("Provider", "\(provider) (instance \(instance))"),
            ("State", state + (statusReason.map { " (\($0))" } ?? "")),
            ("Number", phone ?? "—"),
            ("Connected at", date(connectedAt)),
            ("Disconnected at", date(disconnectedAt)),
            ("QR updated at", date(qrUpdatedAt)),
        ]
    }

    static func render(_ lines: [(String, String)]) -> String {
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}

extension WhatsAppConfigureCommand.Provider {
    var kind: ProviderKind {
        switch self {
        case .evolution: .evolution
        case .meta: .meta
        case .zapi: .zapi
        }
    }
}
