import Foundation

/// Persistence of each unit's WhatsApp connection.
package protocol ConnectionStore: Sendable {
    func connection(unitId: UUID) async throws -> WhatsAppConnection?
    func connection(provider: ProviderKind, instanceName: String) async throws -> WhatsAppConnection?
    /// The connection whose webhook secret hashes to `hash` (the listener's lookup).
    func connection(webhookSecretHash hash: String) async throws -> WhatsAppConnection?
    /// Creates the unit's connection or replaces its provider, instance, secret and credentials.
    /// Throws `StoreError.uniqueViolation` when another unit uses the same instance or secret.
    func saveConnection(_ connection: WhatsAppConnection) async throws
    /// Records the unit's webhook secret (its hash and its sealed form; `nil` to remove it) without
    /// touching the status, which a webhook may be changing at the same moment.
    func setWebhookSecret(unitId: UUID, hash: String?, sealed: Data?, at date: Date) async throws
    /// Applies an observation with `ConnectionLifecycle` to the unit's connection, on the locked row,
    /// so that a command and a webhook arriving together cannot overwrite each other. Nil when the
    /// unit has no connection.
    func applyConnectionObservation(_ observation: ConnectionObservation, unitId: UUID, at date: Date) async throws
        -> ConnectionStatus?
}
