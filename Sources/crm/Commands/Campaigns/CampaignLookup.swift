import CRMCore
import CRMStore
import Foundation

/// Finding the campaign a command names, with errors that say what to do.
enum CampaignLookup {
    static func find(_ text: String, in context: CommandContext) async throws -> (Campaign, BusinessUnit) {
        guard let id = UUID(uuidString: text.trimmingCharacters(in: .whitespaces)) else {
            throw CRMError.invalidInput("'\(text.prefix(40))' is not a campaign id: campaign ids look like 3f2b…; see crm campaigns list.")
        }
        guard let campaign = try await context.store.campaign(id: id) else {
            throw CRMError.notFound("No campaign \(id.text): see crm campaigns list.")
        }
        let unit = try await context.units.find(campaign.unitId.text)
        return (campaign, unit)
    }
}
