import Foundation

/// Recording messages and receipts from webhooks (and, later, sends). Each call is one
/// transaction; uniqueness is enforced by the database (unique keys), never check-then-insert,
/// so concurrent listeners store a message once.
package protocol MessageWriteStore: Sendable {
    /// Finds or creates the contact (by phone, else LID) and the conversation, then stores the
    /// message unless the same (unit, provider, external id) exists.
    func storeIncomingMessage(_ message: IncomingMessage) async throws -> InboundStoreResult
    /// Moves the message forward only (queued → sent → delivered → read; failed from queued or
    /// sent, terminal); keeps the receipt when the message is not recorded yet.
    func applyMessageStatus(_ update: MessageStatusUpdate) async throws -> StatusApplyResult
}
