import CRMCore
import Foundation

extension WebhookTriggerEvent {
    /// Builds the request for this event.
    ///
    /// - Parameters:
    ///   - instance: the unit's Evolution instance name, Z-API instance id or Meta phone number id.
    ///   - contactPhone: the contact's digits (the sender, or the recipient of a receipt);
    ///     ignored by connection and QR events.
    ///   - externalId: the message id. `nil` makes a fresh one (`newExternalId()`), so that
    ///     repeated triggers are new messages, not dedupes; for a receipt pass the id of a
    ///     message the unit sent, or the receipt matches nothing. Ignored by connection and QR events.
    ///   - metaAppSecret: required for Meta events, which are signed.
    ///   - accountPhone: the unit's own number when known (Evolution `sender`/`wuid`, Z-API
    ///     `connectedPhone`/`phone`, Meta `display_phone_number`); left out or a placeholder otherwise.
    ///   - webhookURL: what Evolution writes in `destination` (the URL it posts to).
    ///   - now: the time the bodies claim.
    package func request(
        instance: String,
        contactPhone: String,
        externalId: String? = nil,
        metaAppSecret: String?,
        accountPhone: String? = nil,
        webhookURL: String? = nil,
        now: Date = Date()
    ) throws(WebhookTriggerError) -> WebhookTriggerRequest {
        guard !instance.isEmpty else { throw .emptyInstance }
        let messageId = usesExternalId ? externalId ?? newExternalId() : nil
        if let messageId {
            guard Digits.only(contactPhone) != nil else { throw .invalidContactPhone }
            guard !messageId.isEmpty else { throw .emptyExternalId }
        }
        let sample = TriggerSample(
            instance: instance, contactPhone: contactPhone, externalId: messageId ?? "",
            accountPhone: accountPhone.flatMap { Digits.only($0) }, webhookURL: webhookURL, now: now
        )
        var headers = [("Content-Type", "application/json")]
        let body = json(sample).data
        if provider == .meta {
            guard let metaAppSecret, !metaAppSecret.isEmpty else { throw .missingMetaAppSecret(self) }
            headers.append((MetaSignature.header, MetaSignature.sign(body: body, appSecret: metaAppSecret)))
        }
        return WebhookTriggerRequest(pathSuffix: nil, headers: headers, body: body, externalId: messageId)
    }

    private func json(_ sample: TriggerSample) -> TriggerJSON {
        typealias Evolution = EvolutionTriggerBodies
        switch self {
        case .evolutionMessagesUpsert: return Evolution.envelope("messages.upsert", Evolution.upsert(sample, fromMe: false), sample)
        case .evolutionSendMessage: return Evolution.envelope("send.message", Evolution.upsert(sample, fromMe: true), sample)
        case .evolutionMessagesUpdate: return Evolution.envelope("messages.update", Evolution.receipt(sample), sample)
        case .evolutionConnectionUpdate: return Evolution.envelope("connection.update", Evolution.connectionOpen(sample), sample)
        case .evolutionQRCodeUpdated: return Evolution.envelope("qrcode.updated", Evolution.qrCode(sample), sample)
        case .metaMessages: return MetaTriggerBodies.notification(MetaTriggerBodies.inboundText(sample), sample)
        case .metaStatuses: return MetaTriggerBodies.notification(MetaTriggerBodies.delivered(sample), sample)
        case .zapiReceived: return ZAPITriggerBodies.received(sample)
        case .zapiStatus: return ZAPITriggerBodies.status(sample)
        case .zapiConnected: return ZAPITriggerBodies.connected(sample)
        case .zapiDisconnected: return ZAPITriggerBodies.disconnected(sample)
        }
    }
}
