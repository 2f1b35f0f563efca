import Foundation

/// Sending text, its receipts, and contacts' messages.
extension SimulatorState {
    static let receiptStatuses = ["SERVER_ACK", "DELIVERY_ACK", "READ"]

    func sendText(_ name: String, _ body: JSONValue) -> SimulatorReply {
        guard var instance = instances[name] else { return .error(EvolutionErrors.instanceNotFound(name)) }
        guard let number = body["number"]?.stringValue else {
            return .error(EvolutionErrors.validation("instance requires property \"number\""))
        }
        guard let text = body["text"]?.stringValue else {
            return .error(EvolutionErrors.validation("instance requires property \"text\""))
        }
        guard instance.state == .open else { return .error(EvolutionErrors.connectionClosed) }
        let digits = PhoneNumber.digits(number)
        guard !digits.isEmpty, !settings.numbersNotOnWhatsApp.contains(digits) else {
            return .error(EvolutionErrors.notOnWhatsApp(digits))
        }
        let message = SentMessage(instance: name, to: digits, text: text, externalId: WireIdentifiers.outgoingMessageId(), at: Date())
        sent.append(message)
        instance.sentCount += 1
        instances[name] = instance
        let echo = EvolutionBodies.sentMessage(message, instanceId: instance.id)
        emit("send.message", echo, for: name)
        scheduleReceipts(for: message, instanceId: instance.id)
        return .created(echo)
    }

    /// SERVER_ACK, DELIVERY_ACK and READ, `ackDelayMs` apart (at once when 0).
    private func scheduleReceipts(for message: SentMessage, instanceId: String) {
        let statuses = settings.sendsReadReceipt ? Self.receiptStatuses : Array(Self.receiptStatuses.dropLast())
        let messageId = WireIdentifiers.cuid()
        let delay = settings.ackDelayMs
        guard delay > 0 else {
            for status in statuses { emitReceipt(message, status, instanceId: instanceId, messageId: messageId) }
            return
        }
        runInBackground { [weak self] in
            for status in statuses {
                try? await Task.sleep(for: .milliseconds(delay))
                guard !Task.isCancelled else { return }
                await self?.emitReceipt(message, status, instanceId: instanceId, messageId: messageId)
            }
        }
    }

    private func emitReceipt(_ message: SentMessage, _ status: String, instanceId: String, messageId: String) {
        emit("messages.update",
             EvolutionWebhooks.messagesUpdate(message, status: status, instanceId: instanceId, messageId: messageId),
             for: message.instance)
    }

    /// A contact writes to the connected number: `messages.upsert` with `fromMe: false`.
    func inbound(_ name: String, _ body: JSONValue) -> SimulatorReply {
        guard let instance = instances[name] else { return .error(EvolutionErrors.instanceNotFound(name)) }
        if instance.meta != nil { return metaInbound(name, body) }
        guard instance.state == .open else { return .control(409, "instance \(name) is not connected") }
        guard let from = body["from"]?.stringValue.map(PhoneNumber.digits), !from.isEmpty,
              let text = body["text"]?.stringValue else {
            return .control(400, "inbound needs \"from\" (digits) and \"text\"")
        }
        let id = body["id"]?.stringValue ?? WireIdentifiers.inboundMessageId()
        let data = EvolutionWebhooks.inboundText(
            id: id, from: from, pushName: body["pushName"]?.stringValue ?? "Contact \(from.suffix(4))",
            text: text, timestamp: WireClock.seconds(), instanceId: instance.id
        )
        emit("messages.upsert", data, for: name)
        return .ok(["externalId": .string(id)])
    }

    func sentMessages() -> [SentMessage] { sent }
}
