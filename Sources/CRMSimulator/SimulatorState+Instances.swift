import Foundation

/// Evolution's instance endpoints: create, connect, state, logout, delete, webhook, listing.
extension SimulatorState {
    static let integrations: Set<String> = ["WHATSAPP-BAILEYS", "WHATSAPP-BUSINESS", "EVOLUTION"]

    func create(_ body: JSONValue) -> SimulatorReply {
        guard let name = body["instanceName"]?.stringValue, !name.isEmpty else {
            return .error(EvolutionErrors.validation("instance requires property \"instanceName\""))
        }
        let integration = body["integration"]?.stringValue ?? "WHATSAPP-BAILEYS"
        guard Self.integrations.contains(integration) else {
            return .error(EvolutionErrors.badRequest("Invalid integration"))
        }
        guard instances[name] == nil else { return .error(EvolutionErrors.nameInUse(name)) }
        let instance = SimulatedInstance(
            name: name, token: body["token"]?.stringValue, integration: integration,
            webhook: WebhookConfig(body["webhook"])
        )
        instances[name] = instance
        openOutbox(for: name)
        emit("qrcode.updated", EvolutionWebhooks.qrcodeUpdated(instance), for: name)
        startPairingTimers(for: name)
        return .created(EvolutionBodies.create(instance))
    }

    /// The current QR; restarts pairing (new QR) on a closed instance.
    func connect(_ name: String) -> SimulatorReply {
        guard var instance = instances[name] else { return .error(EvolutionErrors.instanceNotFound(name)) }
        switch instance.state {
        case .open:
            return .ok(EvolutionBodies.state(instance))
        case .connecting:
            return .ok(EvolutionBodies.qrcode(instance))
        case .close:
            instance.state = .connecting
            instance.qrCode = WireIdentifiers.qrCode()
            instance.qrCount = 1
            instance.updatedAt = Date()
            instances[name] = instance
            emit("qrcode.updated", EvolutionWebhooks.qrcodeUpdated(instance), for: name)
            startPairingTimers(for: name)
            return .ok(EvolutionBodies.qrcode(instance))
        }
    }

    func connectionState(_ name: String) -> SimulatorReply {
        guard let instance = instances[name] else { return .error(EvolutionErrors.instanceNotFound(name)) }
        return .ok(EvolutionBodies.state(instance))
    }

    func logout(_ name: String) -> SimulatorReply {
        guard let instance = instances[name] else { return .error(EvolutionErrors.instanceNotFound(name)) }
        guard instance.state != .close else { return .error(EvolutionErrors.notConnected(name)) }
        disconnect(name, statusReason: 401)
        return .ok(EvolutionBodies.success("Instance logged out"))
    }

    func delete(_ name: String) -> SimulatorReply {
        guard let instance = instances[name] else { return .error(EvolutionErrors.instanceNotFound(name)) }
        if instance.state != .close { disconnect(name, statusReason: 401) }
        stopPairingTimers(for: name)
        closeOutbox(for: name)
        instances.removeValue(forKey: name)
        return .ok(EvolutionBodies.success("Instance deleted"))
    }

    func setWebhook(_ name: String, _ body: JSONValue) -> SimulatorReply {
        guard var instance = instances[name] else { return .error(EvolutionErrors.instanceNotFound(name)) }
        guard var config = WebhookConfig(body["webhook"]) else {
            return .error(EvolutionErrors.validation("webhook requires property \"url\""))
        }
        if let old = instance.webhook { (config.id, config.createdAt) = (old.id, old.createdAt) }
        instance.webhook = config
        instances[name] = instance
        return .created(EvolutionBodies.webhook(config, instance: instance))
    }

    /// Every instance for the global key; only its own for an instance token.
    func fetchInstances(key: String?, name: String?) -> SimulatorReply {
        let visible = instances.values
            .filter { key == apiKey || $0.token == key }
            .filter { name == nil || $0.name == name }
            .sorted { $0.createdAt < $1.createdAt }
        if let name, visible.isEmpty { return .error(EvolutionErrors.instanceNotFound(name)) }
        return .ok(.array(visible.map(EvolutionBodies.fetchInstance)))
    }

    /// Closes the session: `connection.update` close with the Baileys code, and for 401 (logged
    /// out) `logout.instance`, as Evolution 2.2.1+ does.
    func disconnect(_ name: String, statusReason: Int) {
        guard var instance = instances[name] else { return }
        stopPairingTimers(for: name)
        instance.state = .close
        instance.updatedAt = Date()
        instances[name] = instance
        emit("connection.update", EvolutionWebhooks.connectionUpdate(instance, statusReason: statusReason), for: name)
        if statusReason == 401 { emit("logout.instance", .null, for: name) }
    }
}
