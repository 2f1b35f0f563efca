import CRMCore

/// What `crm contacts opt-out|opt-in --json` prints: the contact as `crm contacts list` shows it,
/// and what the command changed.
struct OptOutView: Encodable {
    /// `false` when the contact already was as asked: nothing was written.
    var changed: Bool
    /// The number was unknown: its contact was created (opt-out only).
    var created: Bool
    var contact: ContactView

    init(_ change: OptOutChange) {
        changed = change.changed
        created = change.created
        contact = ContactView(change.contact)
    }
}
