import CRMCore
import Foundation
import SQLKit

/// PostgreSQL: the batch in one call of `crm_store_inbound_batch` (db/postgres/0011, as 0014 replaced it), which makes
/// the decisions the SQLite statements make, server-side. One round trip, no BEGIN or COMMIT, and
/// the function's statements planned once per connection: the listener's batches took eight round
/// trips and six plannings before (10.8 ms per batch of 16 webhooks under load).
extension SQLStore {
    func storeInboundBatchInOneCall(_ items: [InboundWebhook]) async throws -> [InboundBatchResult] {
        // Items the function does not return kept a body already stored: a repeat in the batch
        // (removed here) or one stored before.
        var results = [InboundBatchResult](repeating: .bodyAlreadyStored, count: items.count)
        var seenBodies = Set<String>()
        var table = BatchTable(Self.inboundItemColumns)
        for (index, item) in items.enumerated() {
            let record = item.record, message = item.message
            guard seenBodies.insert(Self.bodyKey(record)).inserted else { continue }
            table.append([
                .integer(index), .id(record.id), record.unitId.map(BatchTable.Cell.id) ?? .null,
                .text(record.provider.rawValue), .text(record.eventType), .text(record.instance), .text(record.dedupeKey),
                .encoded(item.bodyJSON), .text(record.result.rawValue), .number(record.receivedAt.timeIntervalSince1970),
                .id(message.unitId), .text(message.provider.rawValue), .text(message.externalId), .text(message.phone),
                .text(ContactUpsert.profileName(of: message)), .text(message.kind.rawValue), .text(message.body),
                .text(Self.conversationPreview(message)), .bool(message.optsOut),
                .number(message.sentAt.timeIntervalSince1970), .number(message.receivedAt.timeIntervalSince1970),
                .id(.timeOrdered()), .id(.timeOrdered()), .id(.timeOrdered()),
            ])
        }
        let json = PostgresJSONB(utf8: table.jsonObjects)
        // The answer as one text cell, "item:message id" per new body (nothing after the colon for a
        // duplicate message): decoding a row of two cells through SQLKit cost ~4 µs, 141 µs a batch,
        // while the next batch waited.
        let rows = try await driver.writeStatement { sql in
            try await sql.raw("""
                SELECT coalesce(string_agg(item_number || ':' || coalesce(stored_message_id::text, ''), ','), '') AS answer
                FROM crm_store_inbound_batch(\(bind: json)::jsonb)
                """).all()
        }
        guard let answer = try rows.first?.decode(column: "answer", as: String.self) else {
            throw CRMError(.internal, "The batch function gave no answer.")
        }
        for entry in answer.split(separator: ",") {
            guard let colon = entry.firstIndex(of: ":"), let index = Int(entry[..<colon]), results.indices.contains(index) else {
                throw CRMError(.internal, "The batch function answered for an item it was not given.")
            }
            let id = entry[entry.index(after: colon)...]
            if id.isEmpty {
                results[index] = .duplicateMessage
            } else if let messageId = UUID.parse(String(id)) {
                results[index] = .stored(messageId: messageId)
            } else {
                throw CRMError(.internal, "The batch function answered with a malformed message id.")
            }
        }
        return results
    }

    /// The fields of the row type `crm_inbound_item`, by name (`jsonb_populate_recordset` matches keys).
    private static let inboundItemColumns: [(name: String, type: String)] = [
        ("item", "integer"), ("body_id", "uuid"), ("body_unit_id", "uuid"), ("body_provider", "text"), ("event_type", "text"),
        ("instance", "text"), ("dedupe_key", "text"), ("body", "text"), ("result", "text"), ("body_received_at", "float8"),
        ("unit_id", "uuid"), ("provider", "text"), ("external_id", "text"), ("phone", "text"), ("name", "text"),
        ("type", "text"), ("text", "text"), ("preview", "text"), ("opts_out", "boolean"), ("sent_at", "float8"),
        ("received_at", "float8"), ("contact_id", "uuid"), ("conversation_id", "uuid"), ("message_id", "uuid"),
    ]
}
