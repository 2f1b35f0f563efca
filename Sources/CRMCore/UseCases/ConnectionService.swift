import Foundation

/// Configuring a unit's WhatsApp provider. Pairing and sending come with the provider clients.
package struct ConnectionService: Sendable {
    let store: any Store
    let now: @Sendable () -> Date

    package init(store: any Store, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// The outcome of `configure`: the stored connection and, for display, its secrets masked.
    package struct Configured: Sendable {
        package var connection: WhatsAppConnection
        package var maskedSecrets: [String: String]
    }

    /// Records the unit's provider, instance and sealed credentials. A connected unit keeps its
    /// provider and instance unless `force` is given: switching would strand a paired session.
    package func configure(
        unit: BusinessUnit, settings: ProviderSettings, secretBox: () throws -> SecretBox, force: Bool
    ) async throws -> Configured {
        let (instance, sealedCredentials, masked) = try seal(settings, unit: unit, secretBox: secretBox)
        let existing = try await store.connection(unitId: unit.id)
        let switching = existing.map { $0.provider != settings.provider || $0.instanceName != instance } ?? true
        if let existing, existing.status.state == .connected, !force, switching {
            throw CRMError.conflict(
                "Unit \(unit.slug) is connected through \(existing.provider.rawValue) instance \(existing.instanceName): "
                    + "disconnect it first, or pass --force to switch anyway."
            )
        }
        let date = now()
        var connection = existing ?? WhatsAppConnection(
            unitId: unit.id, provider: settings.provider, instanceName: instance, createdAt: date, updatedAt: date
        )
        if switching {
            connection.status = .new  // a different instance starts unpaired
        }
        connection.provider = settings.provider
        connection.instanceName = instance
        connection.sealedCredentials = sealedCredentials
        connection.updatedAt = date
        do {
            try await store.saveConnection(connection)
        } catch StoreError.uniqueViolation {
            throw CRMError.conflict(
                "Another unit already uses \(settings.provider.rawValue) instance \(instance): choose another instance."
            )
        }
        return Configured(connection: connection, maskedSecrets: masked)
    }

    /// The instance name of a unit on Evolution: given, or "crm-<slug>" (stable, unique, safe characters).
    package static func evolutionInstanceName(for unit: BusinessUnit, given: String?) throws -> String {
        guard let given else { return "crm-\(unit.slug)" }
        let name = given.trimmingCharacters(in: .whitespaces)
        let allowed = name.unicodeScalars.allSatisfy {
            ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "-" || $0 == "_" || $0 == "."
        }
        guard (1...64).contains(name.count), allowed else {
            throw CRMError.invalidInput(
                "Invalid instance name '\(given.prefix(80))': use 1 to 64 letters, digits, '-', '_' or '.'."
            )
        }
        return name
    }

    private func seal(_ settings: ProviderSettings, unit: BusinessUnit, secretBox: () throws -> SecretBox) throws
        -> (instance: String, sealed: Data?, masked: [String: String])
    {
        let context = ConnectionSecrets.credentialsContext(unitId: unit.id, provider: settings.provider)
        switch settings {
        case .evolution(let instance):
            return (try Self.evolutionInstanceName(for: unit, given: instance), nil, [:])
        case .meta(let credentials):
            try Self.check(credentials.phoneNumberId, "phone number id", digitsOnly: true)
            for (value, what) in [
                (credentials.accessToken, "access token"), (credentials.appSecret, "app secret"),
                (credentials.verifyToken, "verify token"),
            ] {
                try Self.check(value, what)
            }
            let sealed = try secretBox().seal(Array(try JSONEncoder().encode(credentials)), context: context)
            return (credentials.phoneNumberId, Data(sealed), [
                "accessToken": Masking.secret(credentials.accessToken), "appSecret": Masking.secret(credentials.appSecret),
                "verifyToken": Masking.secret(credentials.verifyToken),
            ])
        case .zapi(let credentials):
            try Self.check(credentials.instanceId, "instance id")
            try Self.check(credentials.instanceToken, "instance token")
            if let client = credentials.clientToken { try Self.check(client, "client token") }
            let sealed = try secretBox().seal(Array(try JSONEncoder().encode(credentials)), context: context)
            var masked = ["instanceToken": Masking.secret(credentials.instanceToken)]
            masked["clientToken"] = credentials.clientToken.map(Masking.secret)
            return (credentials.instanceId, Data(sealed), masked)
        }
    }

    /// Tokens and ids: printable ASCII without spaces, at most 4,096 characters.
    private static func check(_ value: String, _ what: String, digitsOnly: Bool = false) throws {
        let printable = value.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 }
        guard !value.isEmpty, value.count <= 4096, printable, !digitsOnly || value.allSatisfy(\.isNumber) else {
            throw CRMError.invalidInput(
                "Invalid \(what): \(digitsOnly ? "use digits only" : "use the value the provider gave, without spaces")."
            )
        }
    }
}
