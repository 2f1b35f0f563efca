import CRMCore
import Foundation

/// A conversation as the API shows it (`crm conversations list --json`'s keys and its contact),
/// every key present (null when absent).
struct APIConversation: Encodable {
    var record: ConversationRecord

    func encode(to encoder: any Encoder) throws {
        let conversation = record.conversation
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(conversation.id.text, forKey: .id)
        try container.encode(conversation.unitId.text, forKey: .unitId)
        try container.encode(conversation.lastMessageAt, forKey: .lastMessageAt)
        try container.encode(conversation.lastMessagePreview, forKey: .lastMessagePreview)
        try container.encode(conversation.lastInboundAt, forKey: .lastInboundAt)
        try container.encode(conversation.createdAt, forKey: .createdAt)
        try container.encode(conversation.updatedAt, forKey: .updatedAt)
        try container.encode(APIContact(contact: record.contact), forKey: .contact)
    }

    private enum CodingKeys: String, CodingKey {
        case id, unitId, lastMessageAt, lastMessagePreview, lastInboundAt, createdAt, updatedAt, contact
    }
}
