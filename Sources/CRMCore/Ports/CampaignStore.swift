import Foundation

/// A campaign to create: its recipients already rendered (`CampaignCreation` checks the text).
package struct NewCampaign: Sendable {
    package struct Recipient: Sendable, Equatable {
        /// Digits with the country code.
        package var phone: String
        package var name: String?
        package var variables: [String: String]
        /// The text this recipient gets.
        package var body: String

        package init(phone: String, name: String?, variables: [String: String], body: String) {
            self.phone = phone
            self.name = name
            self.variables = variables
            self.body = body
        }
    }

    package var id: UUID
    package var unitId: UUID
    package var name: String
    package var bodyTemplate: String
    package var pacing: CampaignPacing
    package var createdBy: UUID?
    package var createdAt: Date
    /// In send order; one per phone.
    package var recipients: [Recipient]

    package init(
        id: UUID = UUID(), unitId: UUID, name: String, bodyTemplate: String, pacing: CampaignPacing, createdBy: UUID? = nil,
        createdAt: Date, recipients: [Recipient]
    ) {
        self.id = id
        self.unitId = unitId
        self.name = name
        self.bodyTemplate = bodyTemplate
        self.pacing = pacing
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.recipients = recipients
    }
}

/// What creating a campaign did.
package struct CampaignCreated: Sendable, Equatable {
    package var campaign: Campaign
    /// Recipients to send to.
    package var recipients: Int
    /// Recipients left out (stored as skipped) because the contact has opted out.
    package var optedOut: Int
    /// Contacts that did not exist before.
    package var contactsCreated: Int

    package init(campaign: Campaign, recipients: Int, optedOut: Int, contactsCreated: Int) {
        self.campaign = campaign
        self.recipients = recipients
        self.optedOut = optedOut
        self.contactsCreated = contactsCreated
    }
}

/// A contact as a campaign addresses it.
package struct AudienceContact: Sendable, Equatable {
    package var phone: String
    package var name: String?

    package init(phone: String, name: String?) {
        self.phone = phone
        self.name = name
    }
}

/// A recipient a dispatcher holds.
package struct ClaimedRecipient: Sendable, Equatable {
    package var id: UUID
    package var campaignId: UUID
    package var unitId: UUID
    package var contactId: UUID
    package var phone: String
    package var body: String
    /// Provider calls made for it so far.
    package var attempt: Int

    package init(id: UUID, campaignId: UUID, unitId: UUID, contactId: UUID, phone: String, body: String, attempt: Int) {
        self.id = id
        self.campaignId = campaignId
        self.unitId = unitId
        self.contactId = contactId
        self.phone = phone
        self.body = body
        self.attempt = attempt
    }

    /// The client message id of its message: the send's idempotency guards the campaign too.
    package var clientMessageId: String { "campaign-\(campaignId.uuidString.lowercased())-\(id.uuidString.lowercased())" }
}

/// Recipients claimed with their attempt started, in import order, and their messages by recipient id.
package struct StartedRecipients: Sendable {
    package var recipients: [ClaimedRecipient]
    package var messages: [UUID: Message]

    package init(recipients: [ClaimedRecipient], messages: [UUID: Message]) {
        self.recipients = recipients
        self.messages = messages
    }
}

/// What came of one provider call for a recipient, to record with its message.
package struct RecipientOutcome: Sendable, Equatable {
    package enum Result: Sendable, Equatable {
        case sent(externalId: String)
        /// May pass: pending again, due at `nextAttemptAt`.
        case retry(nextAttemptAt: Date, error: String)
        case failed(code: String?, error: String)
        /// The call may have reached WhatsApp (a timeout, a garbled answer): not retried by itself.
        case uncertain(error: String)
    }

    package var recipientId: UUID
    package var messageId: UUID
    /// Provider calls made, this one included.
    package var attempts: Int
    package var result: Result
    package var at: Date

    package init(recipientId: UUID, messageId: UUID, attempts: Int, result: Result, at: Date) {
        self.recipientId = recipientId
        self.messageId = messageId
        self.attempts = attempts
        self.result = result
        self.at = at
    }
}

/// Campaigns and their recipients. A recipient goes pending → claimed (leased to one dispatcher)
/// → attempt started (committed before the provider call) → sent, failed, or pending again for a
/// retry. A claim whose lease expired goes back to pending when no attempt had started, and to
/// `uncertain` when one had: it may have reached WhatsApp, so it is not sent again by itself.
package protocol CampaignStore: Sendable {
    /// Creates the campaign as a draft with its recipients (contacts created or their names
    /// updated; opted-out contacts stored as skipped), in one transaction.
    func createCampaign(_ campaign: NewCampaign) async throws -> CampaignCreated
    func campaign(id: UUID) async throws -> Campaign?
    /// The unit's contacts with a phone number (those with these digits; every one when nil), for
    /// recipients named on the command line or `--all-contacts`.
    func campaignAudience(unitId: UUID, phones: [String]?) async throws -> [AudienceContact]
    /// Newest first; every unit's when `unitId` is nil.
    func campaigns(unitId: UUID?, limit: Int) async throws -> [Campaign]
    /// A page of campaigns, newest first (ties by id, descending).
    func campaigns(_ filter: CampaignFilter) async throws -> [Campaign]
    func campaignFunnel(id: UUID) async throws -> CampaignFunnel
    /// The funnels of a page of campaigns, in one read; a campaign without recipients is absent.
    func campaignFunnels(ids: [UUID]) async throws -> [UUID: CampaignFunnel]
    /// Every running campaign, oldest first (the listener's campaign worker sends them).
    func runningCampaigns() async throws -> [Campaign]
    /// Sets `status` when the campaign's is one of `from`; `false` when it was not (or is unknown).
    func changeCampaignStatus(id: UUID, from: Set<CampaignStatus>, to status: CampaignStatus, at date: Date) async throws -> Bool

    /// Gives back the expired claims of the campaign (pending or uncertain, see above), skips
    /// pending recipients whose contact has opted out since, then leases to `owner` until `until`
    /// at most `limit` due pending recipients, in import order.
    func claimRecipients(campaignId: UUID, limit: Int, owner: String, until: Date, now: Date) async throws -> [ClaimedRecipient]
    /// Extends every claim whose owner is `ownerPrefix` or starts with `ownerPrefix:` (a
    /// dispatcher names each of its claims `name:N`): a live dispatcher keeps its recipients.
    func renewRecipientClaims(ownerPrefix: String, until: Date, now: Date) async throws
    /// Gives back claims `owner` will not start (no attempt counted).
    func releaseRecipients(ids: [UUID], owner: String, at date: Date) async throws
    /// Records, and commits, that an attempt starts now for each recipient `owner` still holds,
    /// creating (or reusing) its outbound message; returns those messages by recipient id. A
    /// recipient no longer held (its claim expired and was taken back) is left out: not sent.
    func startAttempts(_ recipients: [ClaimedRecipient], provider: ProviderKind, owner: String, at date: Date) async throws
        -> [UUID: Message]
    /// `claimRecipients` then `startAttempts` in one transaction: for recipients sent as soon as
    /// they are claimed (no rate limit), one commit fewer per wave.
    func claimAndStartAttempts(campaignId: UUID, limit: Int, owner: String, until: Date, now: Date, provider: ProviderKind)
        async throws -> StartedRecipients
    /// Records outcomes and their messages, in one transaction.
    func recordRecipientOutcomes(_ outcomes: [RecipientOutcome]) async throws
    /// Reserves the unit's next `count` send slots under `pacing` (shared by every process sending
    /// for the unit); returns their times, in order.
    func reserveSendSlots(unitId: UUID, count: Int, pacing: CampaignPacing, now: Date) async throws -> [Date]
    /// Marks the running campaign completed when no recipient is pending or claimed.
    func completeCampaignIfDone(id: UUID, at date: Date) async throws -> Bool
    /// Cancels the campaign (unless completed or cancelled): its pending recipients are skipped.
    func cancelCampaign(id: UUID, at date: Date) async throws -> Bool
    /// Puts the uncertain recipients back to pending with fresh attempts; a completed campaign
    /// becomes paused, ready to dispatch. Returns how many.
    func retryUncertainRecipients(campaignId: UUID, at date: Date) async throws -> Int
}
