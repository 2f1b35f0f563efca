import CRMCore
import Foundation

/// Reads Evolution API webhooks (v2, and the v1 shapes that differ): one event per request,
/// `{event, instance, data, …}`, on the base URL or, with "webhook by events", on
/// `<url>/<event-name>`.
package struct EvolutionWebhookParser: WebhookParser {
    package var provider: ProviderKind { .evolution }

    /// Whether plain text messages are read without `JSONDecoder` (`EvolutionTextMessageReader`);
    /// off only in the tests that compare both paths.
    let readsTextDirectly: Bool

    package init(readsTextDirectly: Bool = true) {
        self.readsTextDirectly = readsTextDirectly
    }

    package func parse(_ body: Data, pathEvent: String?) throws(WebhookParseError) -> [WebhookEvent] {
        let envelope: EvolutionEnvelope
        if readsTextDirectly, let direct = EvolutionTextMessageReader.envelope(body, pathEvent: pathEvent) {
            envelope = direct
        } else {
            envelope = try decode(body, pathEvent)
        }
        if case .ignored = envelope.payload { return [] }
        guard let instance = envelope.instance else { throw .missingField(path: "instance") }
        guard !instance.isEmpty else { throw .invalidValue(path: "instance", reason: "empty instance name") }

        switch envelope.payload {
        case .qrCode(.code(let qr, let pairingCode)):
            return [.qrUpdated(QRCodeUpdate(instance: instance, qr: qr, pairingCode: pairingCode))]
        case .qrCode(.limitReached(let statusCode)):
            // Nobody scanned in time: Evolution gave up on this session.
            return [.connectionChanged(ConnectionChange(
                instance: instance, state: .disconnected, reason: .disconnected, code: statusCode
            ))]
        case .connection(let data):
            return Self.connectionChange(data, instance: instance, ownerJID: envelope.sender)
                .map { [.connectionChanged($0)] } ?? []
        case .instanceStatus(let data):
            guard data.status.lowercased() == "closed" else { return [] }
            let code = data.disconnectionReasonCode
            return [.connectionChanged(ConnectionChange(
                instance: instance, state: .disconnected, reason: Self.disconnectReason(code: code), code: code
            ))]
        case .logout:
            return [.connectionChanged(ConnectionChange(instance: instance, state: .disconnected, reason: .loggedOut))]
        case .messages(let messages):
            let ownPhone = envelope.sender.flatMap(JID.init)?.phoneDigits
            var events: [WebhookEvent] = []
            for data in messages {
                if let message = try Self.inboundMessage(data, instance: instance, ownPhone: ownPhone) {
                    events.append(.inboundMessage(message))
                }
            }
            return events
        case .receipts(let receipts):
            var events: [WebhookEvent] = []
            for receipt in receipts {
                if let change = try Self.statusChange(receipt, instance: instance) {
                    events.append(.statusChanged(change))
                }
            }
            return events
        case .ignored:
            return []
        }
    }

    private func decode(_ body: Data, _ pathEvent: String?) throws(WebhookParseError) -> EvolutionEnvelope {
        var userInfo: [CodingUserInfoKey: any Sendable] = [:]
        if let pathEvent { userInfo[EvolutionEnvelope.pathEventKey] = pathEvent }
        return try WebhookJSON.decode(EvolutionEnvelope.self, from: body, userInfo: userInfo)
    }

    /// Baileys code 401 means the phone logged the session out; every other close can come
    /// back without a new scan.
    static func disconnectReason(code: Int?) -> ConnectionStatusReason {
        code == 401 ? .loggedOut : .disconnected
    }

    /// `connection.update`: `open` → connected, `connecting`, `close`/`refused` → disconnected;
    /// an unknown state changes nothing.
    static func connectionChange(
        _ data: EvolutionConnectionData,
        instance: String,
        ownerJID: String?
    ) -> ConnectionChange? {
        let code = data.statusReason
        switch data.state.lowercased() {
        case "open":
            // Before 2.2.1 `open` carried no `wuid`; the envelope's `sender` is the same number.
            let phone = (data.wuid ?? ownerJID).flatMap(JID.init)?.phoneDigits
            return ConnectionChange(instance: instance, state: .connected, reason: .scanCompleted, code: code, phone: phone)
        case "connecting":
            return ConnectionChange(instance: instance, state: .connecting, code: code)
        case "close":
            return ConnectionChange(instance: instance, state: .disconnected, reason: disconnectReason(code: code), code: code)
        case "refused":
            return ConnectionChange(instance: instance, state: .disconnected, reason: .disconnected, code: code)
        default:
            return nil
        }
    }

    /// An upsert or send echo; `nil` for stories, channels and non-messages (edits, revokes).
    static func inboundMessage(
        _ data: EvolutionMessageData,
        instance: String,
        ownPhone: String?
    ) throws(WebhookParseError) -> InboundMessage? {
        guard !data.key.id.isEmpty else {
            throw .invalidValue(path: "data.key.id", reason: "empty message id")
        }
        guard case .content(let content)? = data.message else { return nil }
        let sender: ContactAddress
        let groupId: String?
        switch try EvolutionChat(key: data.key, ownPhone: ownPhone) {
        case .direct(let contact):
            (sender, groupId) = (contact, nil)
        case .group(let id, let participant):
            (sender, groupId) = (participant, id)
        case .ignored:
            return nil
        }
        return InboundMessage(
            instance: instance,
            externalId: data.key.id,
            sender: sender,
            fromMe: data.key.fromMe ?? false,
            groupId: groupId,
            content: content,
            senderName: data.pushName,
            timestamp: data.messageTimestamp?.date
        )
    }

    /// A receipt for one of our messages; `nil` for receipts of contacts' messages (our own
    /// reads), deletes and statuses Evolution may add later.
    static func statusChange(_ receipt: EvolutionReceiptData, instance: String) throws(WebhookParseError) -> MessageStatusChange? {
        guard receipt.fromMe == true,
              receipt.remoteJid.flatMap(JID.init)?.kind != .broadcast,
              let status = receipt.status.flatMap(Self.messageStatus(evolutionStatus:))
        else { return nil }
        guard let externalId = receipt.externalId, !externalId.isEmpty else {
            throw .missingField(path: "data.keyId")
        }
        return MessageStatusChange(instance: instance, externalId: externalId, status: status, timestamp: receipt.datetime?.date)
    }

    /// Evolution's status strings (`src/utils/renderStatus.ts`); `DELETED` and unknown → `nil`.
    static func messageStatus(evolutionStatus: String) -> MessageStatus? {
        switch evolutionStatus.uppercased() {
        case "PENDING": .queued
        case "SERVER_ACK": .sent
        case "DELIVERY_ACK": .delivered
        case "READ", "PLAYED": .read
        case "ERROR": .failed
        default: nil
        }
    }
}
