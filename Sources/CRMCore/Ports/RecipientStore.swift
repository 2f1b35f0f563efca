import Foundation

/// What `SendPolicy` reads before a new message is stored: the contact's opt-out and the time of
/// its last inbound message (Meta's 24-hour window).
package protocol RecipientStore: Sendable {
    /// The unit's contact with these digits; `nil` when crm has no such contact.
    func sendRecipient(unitId: UUID, phone: String) async throws -> SendRecipient?
}
