import CRMCore
import Foundation

/// `crm demo --json`: what the demo did, as stored (phone numbers masked, every key present), and,
/// with --keep, where the database is and the commands to explore it.
struct DemoSummary: Encodable {
    var seconds: Double
    /// The kept database's path; null when it was removed.
    var database: String?
    var simulatorURL: String
    var listenerURL: String
    var unit: UnitSummary
    var connection: ConnectionSummary
    var outbound: MessageSummary
    var inbound: MessageSummary
    var stats: StatsView
    /// With --keep: the commands to explore the database; empty otherwise.
    var commands: [String]

    struct UnitSummary: Encodable {
        var id: String
        var slug: String
        var name: String
    }

    struct ConnectionSummary: Encodable {
        var instance: String
        var state: String
        var phone: String
    }

    struct MessageSummary: Encodable {
        var id: String
        var direction: String
        var status: String
        var contact: String?
        var body: String?
        var clientMessageId: String?
        var externalId: String?
        var sentAt: Date?
        var deliveredAt: Date?
        var readAt: Date?
        var receivedAt: Date?

        init(_ message: Message, contactPhone: String?) {
            id = message.id.text
            direction = message.direction.rawValue
            status = message.state.rawValue
            contact = contactPhone.map(PhoneDisplay.masked)
            body = message.body
            clientMessageId = message.clientMessageId
            externalId = message.externalId
            sentAt = message.sentAt
            deliveredAt = message.deliveredAt
            readAt = message.readAt
            receivedAt = message.receivedAt
        }

        /// Absent values as null, so that scripts always find every key.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(direction, forKey: .direction)
            try container.encode(status, forKey: .status)
            try container.encode(contact, forKey: .contact)
            try container.encode(body, forKey: .body)
            try container.encode(clientMessageId, forKey: .clientMessageId)
            try container.encode(externalId, forKey: .externalId)
            try container.encode(sentAt, forKey: .sentAt)
            try container.encode(deliveredAt, forKey: .deliveredAt)
            try container.encode(readAt, forKey: .readAt)
            try container.encode(receivedAt, forKey: .receivedAt)
        }

        private enum CodingKeys: String, CodingKey {
            case id, direction, status, contact, body, clientMessageId, externalId, sentAt, deliveredAt, readAt, receivedAt
        }
    }

    init(_ outcome: DemoScript.Outcome, database: String, kept: Bool, seconds: Double) {
        self.seconds = (seconds * 1000).rounded() / 1000
        self.database = kept ? database : nil
        simulatorURL = outcome.simulatorURL
        listenerURL = outcome.listenerURL
        unit = UnitSummary(id: outcome.unit.id.text, slug: outcome.unit.slug, name: outcome.unit.name)
        connection = ConnectionSummary(instance: outcome.instance, state: "connected", phone: PhoneDisplay.masked(outcome.phone))
        outbound = MessageSummary(outcome.outbound, contactPhone: outcome.contactPhone)
        inbound = MessageSummary(outcome.inbound.message, contactPhone: outcome.inbound.contact.phone)
        stats = outcome.stats
        commands = kept ? Self.commands(database: database, unit: outcome.unit.slug, message: outcome.outbound.id.text) : []
    }

    /// The read commands, pointed at the kept database.
    static func commands(database: String, unit: String, message: String) -> [String] {
        let url = shellQuoted("sqlite://" + database)
        return [
            "crm messages list --unit \(unit) --database \(url)",
            "crm messages show \(message) --database \(url)",
            "crm conversations list --unit \(unit) --database \(url)",
            "crm contacts list --unit \(unit) --database \(url)",
            "crm stats --unit \(unit) --database \(url)",
        ]
    }

    /// The text as it is when the shell leaves it alone, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let safe = text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "/:._-+=@%,".unicodeScalars.contains($0)) }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(database, forKey: .database)
        try container.encode(simulatorURL, forKey: .simulatorURL)
        try container.encode(listenerURL, forKey: .listenerURL)
        try container.encode(unit, forKey: .unit)
        try container.encode(connection, forKey: .connection)
        try container.encode(outbound, forKey: .outbound)
        try container.encode(inbound, forKey: .inbound)
        try container.encode(stats, forKey: .stats)
        try container.encode(commands, forKey: .commands)
    }

    private enum CodingKeys: String, CodingKey {
        case seconds, database, simulatorURL, listenerURL, unit, connection, outbound, inbound, stats, commands
    }
}
