import Foundation

/// Creating a campaign — `crm campaigns create` and `POST /api/campaigns` — from its recipients
/// however they were given: the pacing laid over the provider's defaults, the unit's contacts
/// looked up when asked for, every recipient's text written (`CampaignCreation.prepare`), then
/// one transaction that leaves opted-out contacts out and counts them. Nothing is stored on error.
package struct CampaignCreationService: Sendable {
    package typealias Store = CampaignStore & ConnectionStore

    package enum Recipients: Sendable {
        /// Named by the caller, in order; with `namesFromContacts`, a recipient without a name takes
        /// its contact's.
        case listed([CampaignCreation.Candidate], namesFromContacts: Bool)
        /// Every contact of the unit with a phone number.
        case allContacts
    }

    package struct Request: Sendable {
        package var unit: BusinessUnit
        package var name: String
        package var text: String
        package var recipients: Recipients
        package var pacing: CampaignPacingInput
        package var naming: CampaignPacingInput.Naming
        package var createdBy: UUID?

        package init(
            unit: BusinessUnit, name: String, text: String, recipients: Recipients, pacing: CampaignPacingInput,
            naming: CampaignPacingInput.Naming, createdBy: UUID? = nil
        ) {
            self.unit = unit
            self.name = name
            self.text = text
            self.recipients = recipients
            self.pacing = pacing
            self.naming = naming
            self.createdBy = createdBy
        }
    }

    let store: any Store
    let now: @Sendable () -> Date

    package init(store: any Store, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// The campaign stored as a draft, and the pacing it got.
    package func create(_ request: Request) async throws -> (created: CampaignCreated, pacing: CampaignPacing) {
        let provider = try await store.connection(unitId: request.unit.id)?.provider ?? .evolution
        let pacing = try request.pacing.pacing(for: provider, request.naming)
        var candidates: [CampaignCreation.Candidate]
        switch request.recipients {
        case .allContacts:
            candidates = try await store.campaignAudience(unitId: request.unit.id, phones: nil).map {
                CampaignCreation.Candidate(phone: $0.phone, name: $0.name, variables: [:], origin: "contact \(PhoneDisplay.masked($0.phone))")
            }
            guard !candidates.isEmpty else {
                throw CRMError.invalidInput("Unit \(request.unit.slug) has no contact with a phone number yet: name the recipients instead.")
            }
        case .listed(let listed, let namesFromContacts):
            candidates = listed
            let unnamed = candidates.filter { $0.name == nil }.map(\.phone)
            if namesFromContacts, !unnamed.isEmpty {
                let known = try await store.campaignAudience(unitId: request.unit.id, phones: unnamed)
                let names = Dictionary(known.map { ($0.phone, $0.name) }, uniquingKeysWith: { first, _ in first })
                for index in candidates.indices where candidates[index].name == nil {
                    candidates[index].name = names[candidates[index].phone] ?? nil
                }
            }
        }
        let campaign = try CampaignCreation.prepare(
            unitId: request.unit.id, name: request.name, text: request.text, candidates: candidates, pacing: pacing,
            createdBy: request.createdBy, at: now())
        return (try await store.createCampaign(campaign), pacing)
    }
}
