import Foundation

/// Stores many webhooks that each carry one plain inbound message (the bulk of a listener's
/// traffic) in one transaction of a few statements, instead of about ten round trips each.
/// Same rules as the one-by-one path: the raw body is kept (as applied), a body already stored
/// is left to the one-by-one path, a message id already stored is a duplicate, contact and
/// conversation are found or created by the unique keys.
package protocol InboundBatchStore: Sendable {
    /// One result per item, in order. Throws (and stores nothing) when the transaction fails.
    func storeInboundBatch(_ items: [InboundWebhook]) async throws -> [InboundBatchResult]

    /// Whether this store passes bodies as JSON strings (`InboundWebhook.bodyJSON`): SQLite does,
    /// PostgreSQL takes them as they are.
    var takesBodiesAsJSON: Bool { get }
}

/// A received body whose only event is an inbound message from a contact's phone number.
package struct InboundWebhook: Sendable, Equatable {
    /// The body as it is stored: result `applied`, one attempt, applied when received.
    package let record: StoredWebhookEvent
    /// Not `fromMe`, with a phone and no LID (those take the one-by-one path).
    package var message: IncomingMessage
    /// `record.body` as a JSON string literal (quoted, escaped) in UTF-8, for a store that passes
    /// a batch as JSON (`takesBodiesAsJSON`); nil otherwise. Made here, on the request's task,
    /// because batches are written one at a time: escaping the bodies was most of a batch's
    /// encoding, and the next batch waited for it. Bytes, not a String: a String would check the
    /// UTF-8 of every body once more.
    package let bodyJSON: [UInt8]?

    package init(record: StoredWebhookEvent, message: IncomingMessage, escapingBody: Bool = true) {
        self.record = record
        self.message = message
        bodyJSON = escapingBody ? Self.jsonString(record.body) : nil
    }

    /// `body` as a JSON string literal, in UTF-8.
    package static func jsonString(_ body: String) -> [UInt8] {
        var literal: [UInt8] = []
        literal.reserveCapacity(body.utf8.count + body.utf8.count / 8 + 2)
        JSONText.appendString(body, to: &literal)
        return literal
    }
}

package enum InboundBatchResult: Sendable, Equatable {
    case stored(messageId: UUID)
    /// The message was already stored (another body carried it): the body is kept, nothing else changes.
    case duplicateMessage
    /// The same body is already stored (or is earlier in the batch): nothing written for this item;
    /// the one-by-one path decides (duplicate, or a retry to apply).
    case bodyAlreadyStored
}
