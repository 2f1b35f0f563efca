import Foundation

/// Opens what `crm whatsapp configure` and `connect` sealed in a connection row. Each value is
/// sealed for one unit and one purpose (the `SecretBox` context), so a value copied into another
/// row does not open.
package enum ConnectionSecrets {
    static func credentialsContext(unitId: UUID, provider: ProviderKind) -> String {
        "unit:\(unitId.uuidString.lowercased()):\(provider.rawValue)"
    }

    static func webhookSecretContext(unitId: UUID) -> String {
        "unit:\(unitId.uuidString.lowercased()):webhook-secret"
    }

    /// The provider settings of `connection`: the instance for Evolution, the opened credentials otherwise.
    package static func settings(of connection: WhatsAppConnection, unitSlug: String, box: () throws -> SecretBox)
        throws -> ProviderSettings
    {
        if connection.provider == .evolution { return .evolution(instance: connection.instanceName) }
        guard let sealed = connection.sealedCredentials else {
            throw CRMError.configuration(
                "Unit \(unitSlug) has no \(connection.provider.rawValue) credentials: run "
                    + "`crm whatsapp configure --unit \(unitSlug) --provider \(connection.provider.rawValue) …` first."
            )
        }
        let context = credentialsContext(unitId: connection.unitId, provider: connection.provider)
        let plaintext = Data(try box().open(Array(sealed), context: context))
        do {
            switch connection.provider {
            case .meta: return .meta(try JSONDecoder().decode(MetaCredentials.self, from: plaintext))
            case .zapi: return .zapi(try JSONDecoder().decode(ZAPICredentials.self, from: plaintext))
            case .evolution: return .evolution(instance: connection.instanceName)
            }
        } catch {
            throw CRMError(.internal, "The stored \(connection.provider.rawValue) credentials of unit \(unitSlug) are unreadable: "
                + "configure them again with `crm whatsapp configure`.")
        }
    }

    /// The unit's webhook secret in clear, or `nil` when none was recorded yet.
    package static func webhookSecret(of connection: WhatsAppConnection, box: () throws -> SecretBox) throws -> String? {
        guard let sealed = connection.sealedWebhookSecret else { return nil }
        let secret = try box().openString(Array(sealed), context: webhookSecretContext(unitId: connection.unitId))
        // A row edited by hand (hash and sealed value out of step) would give a URL the listener refuses.
        guard let hash = connection.webhookSecretHash, WebhookSecret.matches(secret, hash: hash) else { return nil }
        return secret
    }

    package static func sealWebhookSecret(_ secret: String, unitId: UUID, box: SecretBox) throws -> Data {
        Data(try box.seal(secret, context: webhookSecretContext(unitId: unitId)))
    }
}
