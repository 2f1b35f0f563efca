import Foundation

/// Z-API instances: a `SimulatedInstance` with `zapi` settings, named by its instance id, so that
/// the shared control surface (scan, rotate, close, inbound, faults, sent) works for it unchanged.
/// Its state changes come back as Z-API callbacks, posted per kind to the registered URLs.
extension SimulatorState {
    /// Provisions an instance as Z-API's dashboard would; again with the same token updates the
    /// client token.
    func provisionZAPI(instanceId: String, token: String, clientToken: String?) -> SimulatorReply {
        guard !instanceId.isEmpty, !token.isEmpty else {
            return .control(400, "provisioning needs \"instanceId\" and \"token\"")
        }
        let clientToken = clientToken.flatMap { $0.isEmpty ? nil : $0 }
        if var existing = instances[instanceId] {
            guard var settings = existing.zapi, existing.token == token else {
                return .control(409, "instance \(instanceId) exists with another token or provider")
            }
            settings.clientToken = clientToken
            existing.zapi = settings
            instances[instanceId] = existing
            return .ok(provisioned(existing))
        }
        var instance = SimulatedInstance(name: instanceId, token: token, integration: "Z-API", webhook: nil)
        instance.zapi = ZAPIInstanceSettings(clientToken: clientToken)
        instances[instanceId] = instance
        openOutbox(for: instanceId)
        startPairingTimers(for: instanceId)
        return .created(provisioned(instance))
    }

    private func provisioned(_ instance: SimulatedInstance) -> JSONValue {
        ["instanceId": .string(instance.name), "state": .string(instance.state.rawValue),
         "settings": instance.zapi?.json ?? .null]
    }

    func zapiSettings(_ id: String) -> ZAPIInstanceSettings? { instances[id]?.zapi }

    /// `nil` when the path's instance and token match and the Client-Token rule passes; else Z-API's refusal.
    func zapiAuthorize(instanceId: String, token: String, clientToken: String?) -> SimulatorReply? {
        guard let instance = instances[instanceId], let settings = instance.zapi, instance.token == token else {
            return ZAPIBodies.instanceNotFound
        }
        guard let required = settings.clientToken else { return nil }
        guard let clientToken, !clientToken.isEmpty else { return ZAPIBodies.clientTokenMissing }
        return clientToken == required ? nil : ZAPIBodies.clientTokenRefused(clientToken)
    }

    func zapiStatus(_ id: String) -> SimulatorReply {
        guard let instance = instances[id] else { return ZAPIBodies.instanceNotFound }
        return .ok(ZAPIBodies.status(instance))
    }

    /// The current code (or its PNG data URL); a closed session starts a new pairing.
    /// Once paired: `{"connected": true}`.
    func zapiQRCode(_ id: String, image: Bool) -> SimulatorReply {
        guard var instance = instances[id] else { return ZAPIBodies.instanceNotFound }
        switch instance.state {
        case .open:
            return .ok(["connected": true])
        case .close:
            instance.state = .connecting
            instance.qrCode = WireIdentifiers.qrCode()
            instance.qrCount = 1
            instance.updatedAt = Date()
            instances[id] = instance
            startPairingTimers(for: id)
        case .connecting:
            break
        }
        return .ok(ZAPIBodies.value(.string(image ? EvolutionBodies.pngDataURL(instance.qrCode) : instance.qrCode)))
    }

    func zapiDevice(_ id: String) -> SimulatorReply {
        guard let instance = instances[id] else { return ZAPIBodies.instanceNotFound }
        guard instance.state == .open else { return ZAPIBodies.notConnected }
        return .ok(ZAPIBodies.device(instance))
    }

    /// Ends the session (DisconnectedCallback); `{"value": true}` also when already closed.
    func zapiDisconnect(_ id: String) -> SimulatorReply {
        guard let instance = instances[id] else { return ZAPIBodies.instanceNotFound }
        if instance.state != .close { disconnect(id, statusReason: 401) }
        return .ok(ZAPIBodies.value(true))
    }

    /// `PUT update-webhook-*` / `update-every-webhooks`: `{"value": url}` (empty clears), with
    /// an optional `notifySentByMe`.
    func zapiSetWebhooks(_ id: String, kinds: [ZAPIWebhookKind], _ body: JSONValue, notifySentByMe: Bool?) -> SimulatorReply {
        guard var instance = instances[id], var settings = instance.zapi else { return ZAPIBodies.instanceNotFound }
        guard let url = body["value"]?.stringValue else {
            return SimulatorReply(status: 400, body: ZAPIBodies.error("value is required"))
        }
        for kind in kinds { settings.webhooks[kind] = url.isEmpty ? nil : url }
        if let notify = notifySentByMe ?? body["notifySentByMe"]?.boolValue { settings.notifySentByMe = notify }
        instance.zapi = settings
        instances[id] = instance
        return .ok(ZAPIBodies.value(true))
    }

    func zapiSetNotifySentByMe(_ id: String, _ body: JSONValue) -> SimulatorReply {
        guard var instance = instances[id], var settings = instance.zapi else { return ZAPIBodies.instanceNotFound }
        guard let notify = body["notifySentByMe"]?.boolValue else {
            return SimulatorReply(status: 400, body: ZAPIBodies.error("notifySentByMe is required"))
        }
        settings.notifySentByMe = notify
        instance.zapi = settings
        instances[id] = instance
        return .ok(ZAPIBodies.value(true))
    }

    /// `POST /send-text {phone, message}`: the echo (with notify-sent-by-me), DeliveryCallback,
    /// then MessageStatusCallback SENT, RECEIVED and READ, `ackDelayMs` apart.
    func zapiSendText(_ id: String, _ body: JSONValue) -> SimulatorReply {
        guard var instance = instances[id], let settings = instance.zapi else { return ZAPIBodies.instanceNotFound }
        guard let phone = body["phone"]?.stringValue.map(PhoneNumber.digits), !phone.isEmpty else {
            return SimulatorReply(status: 400, body: ZAPIBodies.error("phone is required"))
        }
        guard let text = body["message"]?.stringValue, !text.isEmpty else {
            return SimulatorReply(status: 400, body: ZAPIBodies.error("message is required"))
        }
        guard instance.state == .open else { return ZAPIBodies.notConnected }
        let messageId = WireIdentifiers.outgoingMessageId()
        let zaapId = WireIdentifiers.inboundMessageId()
        let message = SentMessage(instance: id, to: phone, text: text, externalId: messageId, at: Date())
        sent.append(message)
        instance.sentCount += 1
        instances[id] = instance
        if settings.notifySentByMe {
            emitZAPI(.received, ZAPIWebhooks.receivedText(
                instanceId: id, messageId: messageId, phone: phone, connectedPhone: instance.ownerPhone, fromMe: true,
                fromApi: true, contactName: "Contact \(phone.suffix(4))", text: text, momment: ZAPIWebhooks.now()
            ), for: id)
        }
        emitZAPI(.delivery, ZAPIWebhooks.delivery(instanceId: id, phone: phone, zaapId: zaapId, messageId: messageId), for: id)
        scheduleZAPIStatuses(for: message)
        return .ok(ZAPIBodies.sendText(zaapId: zaapId, messageId: messageId))
    }

    private func scheduleZAPIStatuses(for message: SentMessage) {
        let statuses = settings.sendsReadReceipt ? ["SENT", "RECEIVED", "READ"] : ["SENT", "RECEIVED"]
        let delay = settings.ackDelayMs
        guard delay > 0 else {
            for status in statuses { emitZAPIStatus(message, status) }
            return
        }
        runInBackground { [weak self] in
            for status in statuses {
                try? await Task.sleep(for: .milliseconds(delay))
                guard !Task.isCancelled else { return }
                await self?.emitZAPIStatus(message, status)
            }
        }
    }

    private func emitZAPIStatus(_ message: SentMessage, _ status: String) {
        emitZAPI(.messageStatus, ZAPIWebhooks.messageStatus(
            instanceId: message.instance, status: status, ids: [message.externalId], phone: message.to
        ), for: message.instance)
    }

    /// Queues a callback for the URL registered for its kind; dropped when none is.
    func emitZAPI(_ kind: ZAPIWebhookKind, _ body: JSONValue, for id: String) {
        guard let url = instances[id]?.zapi?.webhooks[kind] else { return }
        enqueue(WebhookDelivery(event: kind.callbackType, instance: id, url: url, headers: [:], body: body.encoded()), for: id)
    }

    /// The Z-API callback for a state change the shared code reported in Evolution's terms
    /// (`emit` forwards here for Z-API instances): open → ConnectedCallback, close →
    /// DisconnectedCallback, a contact's `messages.upsert` → ReceivedCallback. Z-API has no QR
    /// or logout callback.
    func emitZAPIEquivalent(of event: String, _ data: JSONValue, for id: String) {
        guard let instance = instances[id] else { return }
        switch event {
        case "connection.update" where data["state"]?.stringValue == "open":
            emitZAPI(.connected, ZAPIWebhooks.connected(instanceId: id, phone: instance.ownerPhone), for: id)
        case "connection.update" where data["state"]?.stringValue == "close":
            emitZAPI(.disconnected, ZAPIWebhooks.disconnected(instanceId: id), for: id)
        case "messages.upsert":
            guard let key = data["key"], key["fromMe"]?.boolValue == false,
                  let messageId = key["id"]?.stringValue, let jid = key["remoteJid"]?.stringValue,
                  let text = data["message"]?["conversation"]?.stringValue else { return }
            let seconds = data["messageTimestamp"]?.intValue ?? WireClock.seconds()
            emitZAPI(.received, ZAPIWebhooks.receivedText(
                instanceId: id, messageId: messageId, phone: PhoneNumber.digits(jid), connectedPhone: instance.ownerPhone,
                fromMe: false, fromApi: false, contactName: data["pushName"]?.stringValue ?? "",
                text: text, momment: seconds * 1_000
            ), for: id)
        default:
            break
        }
    }
}
