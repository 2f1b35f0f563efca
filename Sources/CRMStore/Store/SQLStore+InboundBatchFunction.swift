import CRMCore
import Foundation
import SQLKit

/// PostgreSQL: the batch in one call of `crm_store_inbound_batch` (db/postgres/0011, as 0014 and
/// 0015 replaced it; its arguments: `InboundBatchColumns`), which makes
/// the decisions the SQLite statements make, server-side. One round trip, no BEGIN or COMMIT, and
/// the function's statements planned once per connection: the listener's batches took eight round
/// trips and six plannings before (10.8 ms per batch of 16 webhooks under load).
extension SQLStore {
    func storeInboundBatchInOneCall(_ items: [InboundWebhook]) async throws -> [InboundBatchResult] {
        // Items the function does not return kept a body already stored: a repeat in the batch
        // (removed here) or one stored before.
        var results = [InboundBatchResult](repeating: .bodyAlreadyStored, count: items.count)
        var seenBodies = Set<String>()
        var columns = InboundBatchColumns(capacity: items.count)
        for (index, item) in items.enumerated() where seenBodies.insert(Self.bodyKey(item.record)).inserted {
            columns.append(item, number: index)
        }
        // The answer as one text cell, "item:message id" per new body (nothing after the colon for a
        // duplicate message): decoding a row of two cells through SQLKit cost ~4 µs, 141 µs a batch,
        // while the next batch waited.
        let rows = try await driver.writeStatement { sql in
            try await sql.raw("""
                SELECT coalesce(string_agg(item_number || ':' || coalesce(stored_message_id::text, ''), ','), '') AS answer
                FROM crm_store_inbound_batch(\(columns.arguments))
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
}
