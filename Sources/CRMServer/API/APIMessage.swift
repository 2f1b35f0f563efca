import CRMCore
import Foundation

// The API's JSON shapes of a message and its contact: the keys of `crm messages show --json`,
// every key present (null when absent). Phone numbers are whole in answers (the caller may read
// its unit's contacts), never in logs.

struct APIContact: Encodable {
    var contact: Contact

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(contact.id.text, forKey: .id)
        try container.encode(contact.unitId.text, forKey: .unitId)
        try container.encode(contact.phone, forKey: .phone)
        try container.encode(contact.lid, forKey: .lid)
        try container.encode(contact.name, forKey: .name)
        try container.encode(contact.optedOut, forKey: .optedOut)
        try container.encode(contact.optedOutAt, forKey: .optedOutAt)
        try container.encode(contact.createdAt, forKey: .createdAt)
        try container.encode(contact.updatedAt, forKey: .updatedAt)
    }

    private enum CodingKeys: String, CodingKey {
        case id, unitId, phone, lid, name, optedOut, optedOutAt, createdAt, updatedAt
    }
}

struct APIMessage: Encodable {
    var record: MessageRecord

    func encode(to encoder: any Encoder) throws {
        let message = record.message
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(message.id.text, forKey: .id)
        try container.encode(message.unitId.text, forKey: .unitId)
        try container.encode(message.conversationId.text, forKey: .conversationId)
        try container.encode(message.campaignId?.text, forKey: .campaignId)
        try container.encode(message.direction.rawValue, forKey: .direction)
        try container.encode(message.kind.rawValue, forKey: .type)
        try container.encode(message.body, forKey: .body)
        try container.encode(message.template, forKey: .template)
        try container.encode(message.state.rawValue, forKey: .status)
        try container.encode(message.provider?.rawValue, forKey: .provider)
        try container.encode(message.externalId, forKey: .externalId)
        try container.encode(message.clientMessageId, forKey: .clientMessageId)
        try container.encode(message.retryCount, forKey: .retryCount)
        try container.encode(message.errorCode, forKey: .errorCode)
        try container.encode(message.errorMessage, forKey: .errorMessage)
        try container.encode(message.queuedAt, forKey: .queuedAt)
        try container.encode(message.sentAt, forKey: .sentAt)
        try container.encode(message.deliveredAt, forKey: .deliveredAt)
        try container.encode(message.readAt, forKey: .readAt)
        try container.encode(message.failedAt, forKey: .failedAt)
        try container.encode(message.receivedAt, forKey: .receivedAt)
        try container.encode(message.createdAt, forKey: .createdAt)
        try container.encode(message.updatedAt, forKey: .updatedAt)
        try container.encode(APIContact(contact: record.contact), forKey: .contact)
    }

    private enum CodingKeys: String, CodingKey {
        case id, unitId, conversationId, campaignId, direction, type, body, template, status, provider, externalId
        case clientMessageId, retryCount, errorCode, errorMessage, queuedAt, sentAt, deliveredAt, readAt, failedAt
        case receivedAt, createdAt, updatedAt, contact
    }
}

/// A page of `GET /messages`: `nextCursor` is `null` on the last page.
struct APIMessagePage: Encodable {
    var messages: [APIMessage]
    var nextCursor: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messages, forKey: .messages)
        try container.encode(nextCursor, forKey: .nextCursor)
    }

    private enum CodingKeys: String, CodingKey { case messages, nextCursor }
}

/// The opaque `cursor` of `GET /messages`: the last message of a page (its id and creation time),
/// as base64url. Clients pass it back unchanged.
enum APIMessageCursor {
    static func encode(_ cursor: MessageCursor) -> String {
        let text = "\(cursor.id.text)|\(cursor.createdAt.timeIntervalSince1970)"
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> MessageCursor? {
        guard text.count <= 200 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: "|")
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), let seconds = Double(parts[1]), seconds.isFinite
        else { return nil }
        return MessageCursor(createdAt: Date(timeIntervalSince1970: seconds), id: id)
    }
}
