/// `connection.update` data: `{instance, state, statusReason, wuid?, profileName?}`.
struct EvolutionConnectionData: Decodable {
    /// `connecting`, `open`, `close` or `refused` (QR limit reached).
    let state: String
    /// Baileys' reason: 200 while fine, else a DisconnectReason (401 logged out, 428 closed…).
    let statusReason: Int?
    /// The connected number's JID, sent with `open` since 2.2.1.
    let wuid: String?
}
