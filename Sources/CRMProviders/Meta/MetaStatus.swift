import CRMCore

/// One `statuses[]` item: `{id, status, timestamp, recipient_id, errors?, conversation?,
/// pricing?}`.
struct MetaStatus: Decodable {
    let id: String
    let status: String
    let timestamp: ProviderTimestamp?
    let errors: [MetaError]?

    struct MetaError: Decodable {
        let code: Int?
        let title: String?
        let message: String?
    }

    /// Meta's values map one to one; `played` (voice notes) counts as read; others (e.g.
    /// `deleted`, `warning`) change nothing.
    var messageStatus: MessageStatus? {
        switch status.lowercased() {
        case "sent": .sent
        case "delivered": .delivered
        case "read", "played": .read
        case "failed": .failed
        default: nil
        }
    }
}
