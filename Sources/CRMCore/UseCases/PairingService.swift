import Foundation

/// Pairing a unit's WhatsApp number and following its state: what `crm whatsapp connect`,
/// `status`, `qrcode` and `disconnect` do (and the HTTP API's WhatsApp routes later). The caller
/// builds the provider adapter from the connection; every status change goes through
/// `ConnectionStore.applyConnectionObservation`, the path webhooks take, so both agree.
package struct PairingService: Sendable {
    let store: any Store
    let secretBox: @Sendable () throws -> SecretBox
    let now: @Sendable () -> Date

    package init(
        store: any Store, secretBox: @escaping @Sendable () throws -> SecretBox,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.secretBox = secretBox
        self.now = now
    }

    /// The unit's connection. A unit without one gets an Evolution connection with the default
    /// instance name (Evolution needs no per-unit credentials); Meta and Z-API need `configure` first.
    package func connection(for unit: BusinessUnit, provider requested: ProviderKind?) async throws -> WhatsAppConnection {
        if let existing = try await store.connection(unitId: unit.id) {
            if let requested, requested != existing.provider {
                throw CRMError.conflict(
                    "Unit \(unit.slug) is configured for \(existing.provider.rawValue), not \(requested.rawValue): run "
                        + "`crm whatsapp configure --unit \(unit.slug) --provider \(requested.rawValue) …` to switch."
                )
            }
            return existing
        }
        let provider = requested ?? .evolution
        guard provider == .evolution else {
            throw CRMError.configuration(
                "Unit \(unit.slug) has no \(provider.rawValue) credentials: run "
                    + "`crm whatsapp configure --unit \(unit.slug) --provider \(provider.rawValue) …` first."
            )
        }
        return try await ConnectionService(store: store, now: now)
            .configure(unit: unit, settings: .evolution(instance: nil), secretBox: secretBox, force: false).connection
    }

    /// The recorded connection, or a not-found error that says how to make one.
    package func existingConnection(for unit: BusinessUnit) async throws -> WhatsAppConnection {
        guard let connection = try await store.connection(unitId: unit.id) else {
            throw CRMError.notFound(
                "Unit \(unit.slug) has no WhatsApp connection: run `crm whatsapp connect --unit \(unit.slug)` first."
            )
        }
        return connection
    }

    /// What `start` did.
    package struct Started: Sendable {
        package var connection: WhatsAppConnection
        package var status: ConnectionStatus
        /// The URL registered with the provider (it holds the unit's secret).
        package var webhookURL: String
        package var maskedWebhookURL: String
        /// The code to show; `nil` once connected, and always for Meta (no QR).
        package var qrCode: QRCodeUpdate?
        /// The provider created the instance now (rather than reusing one).
        package var createdInstance: Bool
    }

    /// Makes sure the provider has the unit's instance with the unit's webhook URL, then records
    /// what the provider said: connected, or a QR code to scan. The webhook secret is reused when
    /// one exists (the URL stays stable), new with `reset`, which also deletes the instance first.
    /// Nothing is recorded when the provider fails.
    package func start(
        unit: BusinessUnit, connection: WhatsAppConnection, provider: any WhatsAppProvider, baseURL: String, reset: Bool
    ) async throws -> Started {
        let box = try secretBox()
        let existingSecret = reset ? nil : try ConnectionSecrets.webhookSecret(of: connection, box: { box })
        let secret = existingSecret ?? WebhookSecret.generate()
        let url = WebhookEndpoint.url(base: baseURL, provider: connection.provider, secret: secret)
        let instance = connection.instanceName
        if reset {
            try await provider.deleteInstance(instance)
            _ = try await apply(.disconnected(reason: .loggedOut), unit: unit)
        }
        // A new secret is recorded before the provider learns the URL: Evolution posts the first
        // QR webhook at once, and the listener must know the secret by then. If the provider
        // call fails, the previous secret (or none) is put back.
        if existingSecret == nil {
            let sealed = try ConnectionSecrets.sealWebhookSecret(secret, unitId: unit.id, box: box)
            try await store.setWebhookSecret(unitId: unit.id, hash: WebhookSecret.hash(secret), sealed: sealed, at: now())
        }
        let state: ProviderInstanceState
        do {
            state = try await provider.ensureInstance(named: instance, webhookURL: url)
        } catch {
            if existingSecret == nil {
                try? await store.setWebhookSecret(
                    unitId: unit.id, hash: connection.webhookSecretHash, sealed: connection.sealedWebhookSecret, at: now())
            }
            throw error
        }
        var status = connection.status
        var qrCode = state.qrCode
        if state.state == .connected {
            qrCode = nil
            status = try await apply(.connected(phone: try? await provider.connectedPhone(instance: instance)), unit: unit)
        } else {
            if qrCode == nil { qrCode = try await provider.requestQRCode(instance: instance) }
            if let qrCode {
                status = try await apply(.qr(code: qrCode.qr, pairingCode: qrCode.pairingCode), unit: unit)
            } else {
                // Connected between the two calls.
                status = try await apply(.connected(phone: try? await provider.connectedPhone(instance: instance)), unit: unit)
            }
        }
        let stored = try await store.connection(unitId: unit.id) ?? connection
        return Started(
            connection: stored, status: status, webhookURL: url,
            maskedWebhookURL: WebhookEndpoint.masked(base: baseURL, provider: connection.provider, secret: secret),
            qrCode: qrCode, createdInstance: state.created
        )
    }

    /// One look at the provider while waiting for the scan: the status now, and the new code when
    /// the provider rotated it (`shownCode` is the one on screen).
    package func poll(unit: BusinessUnit, connection: WhatsAppConnection, provider: any WhatsAppProvider, shownCode: String?)
        async throws -> (status: ConnectionStatus, newCode: QRCodeUpdate?)
    {
        let instance = connection.instanceName
        switch try await provider.connectionState(instance: instance) {
        case .connected:
            let phone = try? await provider.connectedPhone(instance: instance)
            return (try await apply(.connected(phone: phone), unit: unit), nil)
        case .connecting, .qr, .disconnected:
            // Z-API reports a session waiting for its scan as not connected, and Evolution closes
            // one whose QR codes ran out: either way a new code (if the provider gives one) keeps
            // the pairing going until the caller's timeout.
            let code = try await provider.requestQRCode(instance: instance)
            if let code, code.qr != shownCode {
                return (try await apply(.qr(code: code.qr, pairingCode: code.pairingCode), unit: unit), code)
            }
            // The same code, or none because the scan just completed: the record may know more (webhooks).
            return (try await store.connection(unitId: unit.id)?.status ?? connection.status, nil)
        }
    }

    /// Where a status came from.
    package enum StatusSource: Sendable, Equatable {
        case provider
        /// The provider could not be asked; `reason` says why (one line, no secrets).
        case database(reason: String)
    }

    /// The status, refreshed from the provider when it answers (and recorded), the recorded one otherwise.
    package func refreshStatus(unit: BusinessUnit, connection: WhatsAppConnection, provider: (any WhatsAppProvider)?)
        async -> (status: ConnectionStatus, source: StatusSource)
    {
        guard let provider else { return (connection.status, .database(reason: "no provider configured")) }
        do {
            let state = try await provider.connectionState(instance: connection.instanceName)
            let phone = state == .connected ? try? await provider.connectedPhone(instance: connection.instanceName) : nil
            let current = try await store.connection(unitId: unit.id)?.status ?? connection.status
            guard let observation = ConnectionObservation.fromProvider(state: state, phone: phone, current: current) else {
                return (current, .provider)
            }
            return (try await apply(observation, unit: unit), .provider)
        } catch let error as ProviderError {
            return (connection.status, .database(reason: error.message))
        } catch let error as CRMError {
            return (connection.status, .database(reason: error.message))
        } catch {
            return (connection.status, .database(reason: "the provider could not be asked"))
        }
    }

    /// The current code from the provider, recorded; `nil` when the number is connected.
    package func freshQRCode(unit: BusinessUnit, connection: WhatsAppConnection, provider: any WhatsAppProvider)
        async throws -> (code: QRCodeUpdate?, status: ConnectionStatus)
    {
        let instance = connection.instanceName
        if try await provider.connectionState(instance: instance) != .connected,
           let code = try await provider.requestQRCode(instance: instance) {
            return (code, try await apply(.qr(code: code.qr, pairingCode: code.pairingCode), unit: unit))
        }
        let phone = try? await provider.connectedPhone(instance: instance)
        return (nil, try await apply(.connected(phone: phone), unit: unit))
    }

    /// Logs the number out at the provider, then records the disconnection. When the provider
    /// fails, nothing is recorded: the row still says what the provider last said.
    package func disconnect(unit: BusinessUnit, connection: WhatsAppConnection, provider: any WhatsAppProvider)
        async throws -> ConnectionStatus
    {
        try await provider.logout(instance: connection.instanceName)
        return try await apply(.disconnected(reason: .loggedOut), unit: unit)
    }

    private func apply(_ observation: ConnectionObservation, unit: BusinessUnit) async throws -> ConnectionStatus {
        guard let status = try await store.applyConnectionObservation(observation, unitId: unit.id, at: now()) else {
            throw CRMError.notFound("Unit \(unit.slug) has no WhatsApp connection any more: was it deleted meanwhile?")
        }
        return status
    }
}
