import ArgumentParser
import CRMCore
import CRMStore
import Foundation

/// `crm campaigns show ID`: the campaign and its funnel.
struct CampaignsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a campaign and its funnel: recipients, sent, delivered, read, failed, replied, opted out.",
        discussion: "Delivered, read and replied come from the provider's webhooks, through the listener; rates are over the recipients sent."
    )

    @Argument(help: "The campaign's id.")
    var id: String

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let (campaign, unit) = try await CampaignLookup.find(id, in: context)
            let funnel = try await context.store.campaignFunnel(id: campaign.id)
            try context.output.emit(CampaignView(campaign, unitSlug: unit.slug, funnel: funnel)) {
                [
                    "Campaign \(campaign.id.text) \"\(campaign.name)\" — \(unit.slug), \(campaign.status.rawValue)",
                    "Pacing: \(PacingView.text(campaign.pacing))",
                    "Text: \(campaign.bodyTemplate)",
                    Self.funnelText(funnel),
                ].joined(separator: "\n")
            }
        }
    }

    /// The funnel for people, one figure per line.
    static func funnelText(_ funnel: CampaignFunnel) -> String {
        func rate(_ count: Int) -> String {
            funnel.sent == 0 ? "" : String(format: " (%.1f%%)", Double(count) / Double(funnel.sent) * 100)
        }
        var lines = [
            "  recipients  \(funnel.recipients)",
            "  sent        \(funnel.sent)",
            "  delivered   \(funnel.delivered)\(rate(funnel.delivered))",
            "  read        \(funnel.read)\(rate(funnel.read))",
            "  replied     \(funnel.replied)\(rate(funnel.replied))",
            "  failed      \(funnel.failed)",
            "  skipped     \(funnel.skipped) (\(funnel.optedOutBefore) opted out before)",
            "  opted out   \(funnel.optedOutAfter) after the send",
        ]
        if funnel.remaining > 0 { lines.append("  left        \(funnel.remaining)") }
        if funnel.uncertain > 0 { lines.append("  uncertain   \(funnel.uncertain)") }
        return lines.joined(separator: "\n")
    }
}
