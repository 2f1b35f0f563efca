import Foundation

/// Opting a unit's contact out of its messages by hand, or back in (`crm contacts opt-out|opt-in`).
/// An inbound opt-out keyword opts out through the write path instead (`IncomingMessage.optsOut`).
package protocol ContactOptOutStore: Sendable {
    /// Opts the unit's contact with these digits out (creating it when crm does not know the
    /// number, so that it is blocked before it ever writes) or back in. The first opt-out's time
    /// stays while the contact stays out; opting in clears it. `nil` when opting in a number crm
    /// does not know.
    func setOptOut(unitId: UUID, phone: String, optedOut: Bool, at: Date) async throws -> OptOutChange?
}

/// The contact after `setOptOut`, and what the call changed.
package struct OptOutChange: Sendable, Equatable {
    package var contact: Contact
    /// `false` when the contact already was as asked: nothing was written.
    package var changed: Bool
    /// The contact did not exist before (opt-out of an unknown number).
    package var created: Bool

    package init(contact: Contact, changed: Bool, created: Bool) {
        self.contact = contact
        self.changed = changed
        self.created = created
    }
}
