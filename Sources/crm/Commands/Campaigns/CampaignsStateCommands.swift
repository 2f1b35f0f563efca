import ArgumentParser
import CRMCore
import CRMStore
import Foundation

/// `crm campaigns pause ID`: every dispatcher of the campaign stops claiming within a second;
/// the sends in flight finish.
struct CampaignsPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause a running campaign: its dispatchers stop within a second, sends in flight finish.")

    @Argument(help: "The campaign's id.")
    var id: String

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CampaignStateChange.run(id, databaseOptions, outputOptions, .pause) { campaign, _ in
            "Paused campaign \(campaign.id.text). Resume it with crm campaigns resume \(campaign.id.text)."
        }
    }
}

/// `crm campaigns resume ID`: running again; the listener (or `crm campaigns dispatch`) sends it.
struct CampaignsResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume a paused campaign: the listener sends it (or run crm campaigns dispatch).")

    @Argument(help: "The campaign's id.")
    var id: String

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CampaignStateChange.run(id, databaseOptions, outputOptions, .resume) { campaign, _ in
            "Campaign \(campaign.id.text) is running: the listener (crm webhook serve) sends it, "
                + "or send it from here with crm campaigns dispatch \(campaign.id.text)."
        }
    }
}

/// `crm campaigns cancel ID [--yes]`: no recipient left is sent; what was sent stays.
struct CampaignsCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a campaign: the recipients not yet sent are skipped, for good.")

    @Argument(help: "The campaign's id.")
    var id: String

    @Flag(name: [.long, .customShort("y")], help: "Cancel without asking.")
    var yes = false

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CampaignStateChange.run(id, databaseOptions, outputOptions, .cancel) { campaign, funnel in
            "Cancelled campaign \(campaign.id.text): \(funnel.sent) were sent, \(funnel.skipped) skipped."
        } confirm: { campaign in
            guard !yes else { return }
            let confirmed = try Terminal.confirm(
                "Cancel campaign \"\(campaign.name)\"? Recipients not yet sent will never be.",
                refusal: "Not cancelling campaign \(campaign.id.text) without confirmation: pass --yes.")
            guard confirmed else { throw CRMError(.notConfirmed, "Not cancelled: campaign \(campaign.id.text) is unchanged.") }
        }
    }
}

/// `crm campaigns retry ID --uncertain`: the recipients whose send was cut short go back to pending.
struct CampaignsRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Send again the recipients whose send was cut short (uncertain): they may get the message twice.",
        discussion: "An uncertain recipient's dispatcher stopped during the provider call: WhatsApp may have the message. "
            + "After this, dispatch the campaign (or resume it in the listener) to send them."
    )

    @Argument(help: "The campaign's id.")
    var id: String

    @Flag(help: "The uncertain recipients (required: the only kind retried).")
    var uncertain = false

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    struct Result: Encodable {
        var campaign: CampaignView
        var requeued: Int
    }

    func validate() throws {
        guard uncertain else { throw ValidationError("Say which recipients to retry: --uncertain.") }
    }

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let (campaign, unit) = try await CampaignLookup.find(id, in: context)
            guard campaign.status != .cancelled else { throw CRMError.conflict("Campaign \(campaign.id.text) was cancelled.") }
            let count = try await context.store.retryUncertainRecipients(campaignId: campaign.id, at: Date())
            let current = try await context.store.campaign(id: campaign.id) ?? campaign
            let funnel = try await context.store.campaignFunnel(id: campaign.id)
            try context.output.emit(Result(campaign: CampaignView(current, unitSlug: unit.slug, funnel: funnel), requeued: count)) {
                count == 0 ? "Campaign \(campaign.id.text) has no uncertain recipient."
                    : "\(count) uncertain recipient(s) will be sent again: crm campaigns dispatch \(campaign.id.text)"
            }
        }
    }
}

/// A status change by hand (`CampaignControl`'s rules), refused with a clear reason when the
/// campaign is not in a state it applies to.
enum CampaignStateChange {
    static func run(
        _ id: String, _ databaseOptions: DatabaseOptions, _ outputOptions: OutputOptions, _ change: CampaignControl.Change,
        message: @escaping (Campaign, CampaignFunnel) -> String, confirm: @escaping (Campaign) throws -> Void = { _ in }
    ) async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let (campaign, unit) = try await CampaignLookup.find(id, in: context)
            try confirm(campaign)
            let (current, funnel) = try await CampaignControl(store: context.store).apply(change, to: campaign)
            try context.output.emit(CampaignView(current, unitSlug: unit.slug, funnel: funnel)) { message(current, funnel) }
        }
    }
}
