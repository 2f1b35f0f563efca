/// `messages.update` data, one receipt: 2.3.x `{keyId, remoteJid, fromMe, participant, status,
/// instanceId, messageId}` (`messageId` is Evolution's database id, not WhatsApp's); v1
/// `{id, remoteJid, fromMe, status, datetime, owner}`.
struct EvolutionReceiptData: Decodable {
    let keyId: String?
    /// v1's name for the WhatsApp message id.
    let id: String?
    let remoteJid: String?
    let fromMe: Bool?
    /// `PENDING`, `SERVER_ACK`, `DELIVERY_ACK`, `READ`, `PLAYED`, `ERROR` or `DELETED`; absent
    /// in v1 updates that only carry poll votes.
    let status: String?
    /// v1 only, epoch milliseconds.
    let datetime: ProviderTimestamp?

    /// The WhatsApp message id, whichever version wrote it.
    var externalId: String? { keyId ?? id }
}
