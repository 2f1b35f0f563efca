import CRMCore

/// `MessageStatusCallback`: `{status, ids: [...], phone, momment, isGroup}`. One callback may
/// cover several messages.
struct ZAPIMessageStatus: Decodable {
    /// `SENT`, `RECEIVED` (delivered), `READ`, `READ_BY_ME` (we read theirs; older docs:
    /// `READ-SELF`), `PLAYED`.
    let status: String
    /// The message ids, in order.
    let ids: [String]?
    /// The attribute table names a single `id`; accepted when `ids` is absent.
    let id: String?
    let momment: ProviderTimestamp?

    /// Z-API statuses that concern our messages; `READ_BY_ME` and unknown ones → `nil`.
    var messageStatus: MessageStatus? {
        switch status.uppercased() {
        case "PENDING": .queued
        case "SENT": .sent
        case "RECEIVED": .delivered
        case "READ", "PLAYED": .read
        default: nil
        }
    }

    /// The ids the status applies to.
    var messageIds: [String]? {
        ids ?? id.map { [$0] }
    }
}
