/// One `messages[]` (or `message_echoes[]`) item: `{from, id, timestamp, type, <type>: {…},
/// context?, group_id?}`; echoes add `to`, the contact the business wrote to.
struct MetaMessage: Decodable {
    let id: String
    let from: String?
    let to: String?
    let groupId: String?
    let timestamp: ProviderTimestamp?
    let content: MetaMessageContent

    private enum CodingKeys: String, CodingKey {
        case id, from, to, timestamp
        case groupId = "group_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        from = try container.decodeIfPresent(String.self, forKey: .from)
        to = try container.decodeIfPresent(String.self, forKey: .to)
        groupId = try container.decodeIfPresent(String.self, forKey: .groupId)
        timestamp = try container.decodeIfPresent(ProviderTimestamp.self, forKey: .timestamp)
        content = try MetaMessageContent(from: decoder)
    }
}
