import CRMCore
import Foundation
import SQLKit

extension SQLStore: ConnectionStore {
    static let connectionColumns = """
        id, unit_id, provider, instance_name, status, status_reason, qr_code, pairing_code, phone, connected_at,
        disconnected_at, qr_updated_at, status_changed_at, webhook_secret_hash, sealed_webhook_secret, sealed_credentials, created_at,
        updated_at
        """

    package func connection(unitId: UUID) async throws -> WhatsAppConnection? {
        try await driver.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.connectionColumns) FROM unit_whatsapp_connections WHERE unit_id = \(bind: unitId)")
                .first().map(Self.connection(from:))
        }
    }

    package func connection(provider: ProviderKind, instanceName: String) async throws -> WhatsAppConnection? {
        try await driver.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.connectionColumns) FROM unit_whatsapp_connections
                WHERE provider = \(bind: provider.rawValue) AND instance_name = \(bind: instanceName)
                """).first().map(Self.connection(from:))
        }
    }

    package func connection(webhookSecretHash hash: String) async throws -> WhatsAppConnection? {
        try await driver.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.connectionColumns) FROM unit_whatsapp_connections WHERE webhook_secret_hash = \(bind: hash)
                """).first().map(Self.connection(from:))
        }
    }

    package func saveConnection(_ connection: WhatsAppConnection) async throws {
        let status = connection.status
        try await driver.transaction { sql in
            try await sql.raw("""
                INSERT INTO unit_whatsapp_connections (\(unsafeRaw: Self.connectionColumns))
                VALUES (\(bind: connection.id), \(bind: connection.unitId), \(bind: connection.provider.rawValue),
                        \(bind: connection.instanceName), \(bind: status.state.rawValue), \(bind: status.reason?.rawValue),
                        \(bind: status.qrCode), \(bind: status.pairingCode), \(bind: status.phone), \(bind: status.connectedAt),
                        \(bind: status.disconnectedAt), \(bind: status.qrUpdatedAt), \(bind: status.changedAt),
                        \(bind: connection.webhookSecretHash), \(bind: connection.sealedWebhookSecret),
                        \(bind: connection.sealedCredentials),
                        \(bind: connection.createdAt), \(bind: connection.updatedAt))
                ON CONFLICT (unit_id) DO UPDATE SET
                    provider = excluded.provider, instance_name = excluded.instance_name, status = excluded.status,
                    status_reason = excluded.status_reason, qr_code = excluded.qr_code, pairing_code = excluded.pairing_code,
                    phone = excluded.phone, connected_at = excluded.connected_at, disconnected_at = excluded.disconnected_at,
                    qr_updated_at = excluded.qr_updated_at, status_changed_at = excluded.status_changed_at,
                    webhook_secret_hash = excluded.webhook_secret_hash,
                    sealed_webhook_secret = excluded.sealed_webhook_secret, sealed_credentials = excluded.sealed_credentials,
                    updated_at = excluded.updated_at
                """).run()
        }
    }

    package func setWebhookSecret(unitId: UUID, hash: String?, sealed: Data?, at date: Date) async throws {
        try await driver.transaction { sql in
            try await sql.raw("""
                UPDATE unit_whatsapp_connections SET webhook_secret_hash = \(bind: hash),
                    sealed_webhook_secret = \(bind: sealed), updated_at = \(bind: date)
                WHERE unit_id = \(bind: unitId)
                """).run()
        }
    }

    package func applyConnectionObservation(_ observation: ConnectionObservation, unitId: UUID, at date: Date) async throws
        -> ConnectionStatus?
    {
        try await driver.transaction { sql in
            // PostgreSQL locks the row; SQLite's BEGIN IMMEDIATE already holds the database's write lock.
            let lock: SQLQueryString = dialect == .postgres ? "FOR UPDATE" : ""
            let row = try await sql.raw("""
                SELECT \(unsafeRaw: Self.connectionColumns) FROM unit_whatsapp_connections WHERE unit_id = \(bind: unitId) \(lock)
                """).first()
            guard let current = try row.map(Self.connection(from:)) else { return nil }
            let next = ConnectionLifecycle.apply(observation, to: current.status, at: date)
            guard next != current.status else { return next }
            try await sql.raw("""
                UPDATE unit_whatsapp_connections SET status = \(bind: next.state.rawValue),
                    status_reason = \(bind: next.reason?.rawValue), qr_code = \(bind: next.qrCode),
                    pairing_code = \(bind: next.pairingCode), phone = \(bind: next.phone),
                    connected_at = \(bind: next.connectedAt), disconnected_at = \(bind: next.disconnectedAt),
                    qr_updated_at = \(bind: next.qrUpdatedAt), status_changed_at = \(bind: next.changedAt),
                    updated_at = \(bind: date)
                WHERE unit_id = \(bind: unitId)
                """).run()
            return next
        }
    }

    static func connection(from row: any SQLRow) throws -> WhatsAppConnection {
        func value<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T where T.RawValue == String {
            let text = try row.decode(column: column, as: String.self)
            guard let value = T(rawValue: text) else {
                throw CRMError(.internal, "A connection row holds an unknown \(column) '\(text)': is this crm older than the database?")
            }
            return value
        }
        let reason = try row.optional("status_reason", as: String.self)
        return WhatsAppConnection(
            id: try row.uuid("id"),
            unitId: try row.uuid("unit_id"),
            provider: try value("provider", as: ProviderKind.self),
            instanceName: try row.decode(column: "instance_name", as: String.self),
            status: ConnectionStatus(
                state: try value("status", as: ConnectionState.self),
                reason: reason.flatMap(ConnectionStatusReason.init(rawValue:)),
                qrCode: try row.optional("qr_code"), pairingCode: try row.optional("pairing_code"),
                phone: try row.optional("phone"), connectedAt: try row.optional("connected_at"),
                disconnectedAt: try row.optional("disconnected_at"), qrUpdatedAt: try row.optional("qr_updated_at"),
                changedAt: try row.optional("status_changed_at")
            ),
            webhookSecretHash: try row.optional("webhook_secret_hash"),
            sealedWebhookSecret: try row.optional("sealed_webhook_secret", as: Data.self),
            sealedCredentials: try row.optional("sealed_credentials", as: Data.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self)
        )
    }
}
