import CRMCore
import Foundation

// The JSON shapes of contacts, messages and conversations: camelCase keys, every key present (null
// when absent) so that scripts can rely on the shape, lowercase ids, ISO 8601 dates. Phone numbers
// are whole: an operator is reading its own unit's data.

struct ContactView: Encodable {
    var id: String
    var unitId: String
    var phone: String?
    var lid: String?
    var name: String?
    var optedOut: Bool
    var optedOutAt: Date?
    var createdAt: Date
    var updatedAt: Date

    init(_ contact: Contact) {
        id = contact.id.text
        unitId = contact.unitId.text
        phone = contact.phone
        lid = contact.lid
        name = contact.name
        optedOut = contact.optedOut
        optedOutAt = contact.optedOutAt
        createdAt = contact.createdAt
        updatedAt = contact.updatedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(unitId, forKey: .unitId)
        try container.encode(phone, forKey: .phone)
        try container.encode(lid, forKey: .lid)
        try container.encode(name, forKey: .name)
        try container.encode(optedOut, forKey: .optedOut)
        try container.encode(optedOutAt, forKey: .optedOutAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    private enum CodingKeys: String, CodingKey {
        case id, unitId, phone, lid, name, optedOut, optedOutAt, createdAt, updatedAt
    }
}

struct MessageView: Encodable {
    var message: Message
    var contact: ContactView

    init(_ record: MessageRecord) {
        message = record.message
        contact = ContactView(record.contact)
    }

    func encode(to encoder: any Encoder) throws {
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
        try container.encode(contact, forKey: .contact)
    }

    private enum CodingKeys: String, CodingKey {
        case id, unitId, conversationId, campaignId, direction, type, body, template, status, provider, externalId
        case clientMessageId, retryCount, errorCode, errorMessage, queuedAt, sentAt, deliveredAt, readAt, failedAt
        case receivedAt, createdAt, updatedAt, contact
    }
}

struct ConversationView: Encodable {
    var conversation: Conversation
    var contact: ContactView

    init(_ record: ConversationRecord) {
        conversation = record.conversation
        contact = ContactView(record.contact)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(conversation.id.text, forKey: .id)
        try container.encode(conversation.unitId.text, forKey: .unitId)
        try container.encode(conversation.lastMessageAt, forKey: .lastMessageAt)
        try container.encode(conversation.lastMessagePreview, forKey: .lastMessagePreview)
        try container.encode(conversation.lastInboundAt, forKey: .lastInboundAt)
        try container.encode(conversation.createdAt, forKey: .createdAt)
        try container.encode(conversation.updatedAt, forKey: .updatedAt)
        try container.encode(contact, forKey: .contact)
    }

    private enum CodingKeys: String, CodingKey {
        case id, unitId, lastMessageAt, lastMessagePreview, lastInboundAt, createdAt, updatedAt, contact
    }
}

extension Contact {
    /// "+5511998765432 Maria Silva", "lid:123456 Maria", or the name alone.
    var display: String {
        let address = phone.map { "+" + $0 } ?? lid.map { "lid:" + $0 }
        return [address, name].compactMap { $0 }.joined(separator: " ")
    }
}

extension Date {
    /// "2026-11-25 13:29:07" in the local time zone: message times, where seconds matter.
    var secondsDisplay: String {
        formatted(Self.secondsStyle)
    }

    private static let secondsStyle = Date.VerbatimFormatStyle(
        format: "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
        timeZone: .current, calendar: Calendar(identifier: .gregorian)
    )
}
