import CRMCore
import Foundation
import SQLKit

/// The arguments of PostgreSQL's `crm_store_inbound_batch` (db/postgres/0015): a listener batch
/// as one array per column of the row type `crm_inbound_item`, in that order, bound in
/// PostgreSQL's binary form. A body goes as its bytes: no JSON escaping here, no JSON parsing
/// in the database.
struct InboundBatchColumns {
    private var items: [Int32?] = []
    private var bodyIds: [UUID?] = [], bodyUnitIds: [UUID?] = []
    private var bodyProviders: [String?] = [], eventTypes: [String?] = [], instances: [String?] = []
    private var dedupeKeys: [String?] = [], bodies: [String?] = [], results: [String?] = []
    private var bodyReceivedAts: [Double?] = []
    private var unitIds: [UUID?] = []
    private var providers: [String?] = [], externalIds: [String?] = [], phones: [String?] = [], names: [String?] = []
    private var types: [String?] = [], texts: [String?] = [], previews: [String?] = []
    private var optsOuts: [Bool?] = []
    private var sentAts: [Double?] = [], receivedAts: [Double?] = []
    private var contactIds: [UUID?] = [], conversationIds: [UUID?] = [], messageIds: [UUID?] = []

    init(capacity: Int) {
        items.reserveCapacity(capacity)
        bodies.reserveCapacity(capacity)
    }

    /// Adds `item` as the batch's item `number`, with new time-ordered ids for the contact,
    /// conversation and message it may create.
    mutating func append(_ item: InboundWebhook, number: Int) {
        let record = item.record, message = item.message
        items.append(Int32(number))
        bodyIds.append(record.id)
        bodyUnitIds.append(record.unitId)
        bodyProviders.append(record.provider.rawValue)
        eventTypes.append(record.eventType)
        instances.append(record.instance)
        dedupeKeys.append(record.dedupeKey)
        bodies.append(record.body)
        results.append(record.result.rawValue)
        bodyReceivedAts.append(record.receivedAt.timeIntervalSince1970)
        unitIds.append(message.unitId)
        providers.append(message.provider.rawValue)
        externalIds.append(message.externalId)
        phones.append(message.phone)
        names.append(ContactUpsert.profileName(of: message))
        types.append(message.kind.rawValue)
        texts.append(message.body)
        previews.append(SQLStore.conversationPreview(message))
        optsOuts.append(message.optsOut)
        sentAts.append(message.sentAt.timeIntervalSince1970)
        receivedAts.append(message.receivedAt.timeIntervalSince1970)
        contactIds.append(.timeOrdered())
        conversationIds.append(.timeOrdered())
        messageIds.append(.timeOrdered())
    }

    /// The 24 bind placeholders, comma-separated, for the function's call.
    var arguments: SQLQueryString {
        let columns: [any Encodable & Sendable] = [
            PostgresNullableArray(elements: items), PostgresNullableArray(elements: bodyIds),
            PostgresNullableArray(elements: bodyUnitIds), PostgresNullableArray(elements: bodyProviders),
            PostgresNullableArray(elements: eventTypes), PostgresNullableArray(elements: instances),
            PostgresNullableArray(elements: dedupeKeys), PostgresNullableArray(elements: bodies),
            PostgresNullableArray(elements: results), PostgresNullableArray(elements: bodyReceivedAts),
            PostgresNullableArray(elements: unitIds), PostgresNullableArray(elements: providers),
            PostgresNullableArray(elements: externalIds), PostgresNullableArray(elements: phones),
            PostgresNullableArray(elements: names), PostgresNullableArray(elements: types),
            PostgresNullableArray(elements: texts), PostgresNullableArray(elements: previews),
            PostgresNullableArray(elements: optsOuts), PostgresNullableArray(elements: sentAts),
            PostgresNullableArray(elements: receivedAts), PostgresNullableArray(elements: contactIds),
            PostgresNullableArray(elements: conversationIds), PostgresNullableArray(elements: messageIds),
        ]
        return "\(binds: columns)"
    }
}
