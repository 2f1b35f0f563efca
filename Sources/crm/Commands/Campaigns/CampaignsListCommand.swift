import ArgumentParser
import CRMCore
import CRMStore
import Foundation

/// `crm campaigns list [--unit UNIT] [--limit N]`
struct CampaignsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List campaigns, newest first.")

    @Option(help: "Only this unit's (id or slug).")
    var unit: String?

    @Option(help: "At most this many campaigns (1 to 1000).")
    var limit = 50

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let limit = try MessagingArguments.limit(limit)
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            var unit: BusinessUnit?
            if let name = self.unit { unit = try await context.units.find(name) }
            let campaigns = try await context.store.campaigns(unitId: unit?.id, limit: limit)
            var slugs: [UUID: String] = [:]
            for campaign in campaigns where slugs[campaign.unitId] == nil {
                slugs[campaign.unitId] = try await context.store.unit(id: campaign.unitId)?.slug ?? campaign.unitId.text
            }
            let funnels = try await context.store.campaignFunnels(ids: campaigns.map(\.id))
            let views = campaigns.map { campaign in
                CampaignView(campaign, unitSlug: slugs[campaign.unitId] ?? "", funnel: funnels[campaign.id] ?? CampaignFunnel())
            }
            try context.output.emit(views) {
                guard !views.isEmpty else { return unit.map { "No campaigns yet in \($0.slug)." } ?? "No campaigns yet." }
                var table = Table("ID", "UNIT", "NAME", "STATUS", "RECIPIENTS", "SENT", "FAILED", "LEFT", "CREATED")
                for (campaign, view) in zip(campaigns, views) {
                    let funnel = view.funnel
                    table.add(campaign.id.text, view.unit, campaign.name, campaign.status.rawValue, "\(funnel?.recipients ?? 0)",
                              "\(funnel?.sent ?? 0)", "\(funnel?.failed ?? 0)", "\((funnel?.pending ?? 0) + (funnel?.inFlight ?? 0))",
                              campaign.createdAt.shortDisplay)
                }
                return context.output.table(table)
            }
        }
    }
}
