import CRMCore
import Foundation

/// What the WhatsApp endpoints need beside the store, from the listener's configuration: a unit's
/// provider adapter opened from its stored connection (as `crm whatsapp` and the outbound worker
/// open it), the key that seals webhook secrets (CRM_SECRET_KEY), and the public URL providers
/// post webhooks to (BASE_URL).
package struct APIProviders: Sendable {
    package var openProvider: OutboundWorker.ProviderFactory
    package var secretBox: @Sendable () throws -> SecretBox
    package var webhookBase: @Sendable () throws -> String

    package init(
        openProvider: @escaping OutboundWorker.ProviderFactory, secretBox: @escaping @Sendable () throws -> SecretBox,
        webhookBase: @escaping @Sendable () throws -> String
    ) {
        self.openProvider = openProvider
        self.secretBox = secretBox
        self.webhookBase = webhookBase
    }

    /// Runs `body` with the unit's adapter and closes it afterwards, whatever happens.
    func use<T>(_ connection: WhatsAppConnection, _ body: (any WhatsAppProvider) async throws -> T) async throws -> T {
        let opened = try await openProvider(connection)
        do {
            let result = try await body(opened.provider)
            await opened.close()
            return result
        } catch {
            await opened.close()
            throw error
        }
    }
}
