import Foundation

/// Applies one parsed webhook event to the store, for the unit that owns its instance.
struct EventApplier {
    let store: any WebhookApplyStore
    /// The connection of the unit whose URL received the body.
    let connection: WhatsAppConnection
    let receivedAt: Date
    /// Whether an inbound message opts its contact out (decided here, stored with the message).
    let optOut: OptOutDetection

    func apply(_ event: WebhookEvent) async throws -> WebhookIngestion.EventResult {
        guard let target = try await owner(of: event.instance) else { return .unknownInstance(event.instance) }
        switch event {
        case .qrUpdated, .connectionChanged:
            guard let observation = ConnectionObservation(event) else { return .ignored("connection event without a state") }
            let status = try await store.applyConnectionObservation(observation, unitId: target.unitId, at: receivedAt)
            return .connection(status?.state ?? .disconnected)
        case .inboundMessage(let message):
            // A CRM talks with people one to one; group chatter would flood their conversations.
            if message.isGroup { return .ignored("group message") }
            guard message.from != nil || message.lid != nil else { return .ignored("message without a sender") }
            var incoming = Self.incoming(message, for: target, receivedAt: receivedAt)
            incoming.optsOut = try await optOut.optsOut(incoming, store: store)
            let result = try await store.storeIncomingMessage(incoming)
            return result == .duplicate ? .messageDuplicate : .messageStored
        case .statusChanged(let change):
            return .status(try await store.applyMessageStatus(MessageStatusUpdate(
                unitId: target.unitId, provider: target.provider, externalId: change.externalId, status: change.status,
                errorCode: change.errorCode.map(String.init), errorMessage: change.errorMessage.map(Self.sanitized),
                occurredAt: change.timestamp ?? receivedAt
            )))
        }
    }

    static func incoming(_ message: InboundMessage, for target: WhatsAppConnection, receivedAt: Date) -> IncomingMessage {
        IncomingMessage(
            unitId: target.unitId, provider: target.provider, externalId: message.externalId, phone: message.from,
            lid: message.lid, senderName: message.senderName, fromMe: message.fromMe, kind: MessageKind(message.messageType),
            body: message.text, sentAt: message.timestamp ?? receivedAt, receivedAt: receivedAt
        )
    }

    /// The URL's unit when the instance is its own; for Meta, whose app posts every number to one
    /// URL, the unit that owns the phone number id.
    private func owner(of instance: String) async throws -> WhatsAppConnection? {
        if instance == connection.instanceName { return connection }
        guard connection.provider == .meta else { return nil }
        return try await store.connection(provider: .meta, instanceName: instance)
    }

    /// A provider's error text, kept short and without phone numbers.
    static func sanitized(_ text: String) -> String {
        var output = ""
        var digits = ""
        func flush() {
            output += digits.count >= 8 ? Masking.phone(digits) : digits
            digits = ""
        }
        for character in text.prefix(300) {
            if character.isASCII && character.isNumber { digits.append(character) } else { flush(); output.append(character) }
        }
        flush()
        return output
    }
}
