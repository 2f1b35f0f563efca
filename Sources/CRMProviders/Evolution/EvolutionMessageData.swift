/// `messages.upsert` and `send.message` data: `{key, pushName, status, message, messageType,
/// messageTimestamp, …}`. Media metadata is not declared, so its encoding (base64 strings,
/// index-keyed objects in 2.3.4+) cannot break parsing.
struct EvolutionMessageData: Decodable {
    let key: EvolutionMessageKey
    let pushName: String?
    /// `nil` for stubs that carry no content.
    let message: EvolutionMessageContent?
    let messageTimestamp: ProviderTimestamp?
}
