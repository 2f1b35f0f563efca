import ArgumentParser
import CRMCore
import CRMProviders
import CRMStore
import Foundation

/// `crm campaigns dispatch ID [--detach] [--json]`
struct CampaignsDispatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Send a campaign under its pacing, with a progress bar; Ctrl-C pauses it.",
        discussion: """
            In the foreground it sends until no recipient is left (exit 0), showing sent, failed, skipped, \
            remaining, the rate and the time left on a terminal (plain lines every 10 s otherwise). Ctrl-C or \
            SIGTERM pauses the campaign: the sends in flight finish and are recorded, and `crm campaigns resume` \
            or another dispatch goes on from there (exit 1). With --detach the campaign is only marked running: \
            the listener (`crm webhook serve`) sends it.

            Several dispatchers — here, on other machines, in the listener — share a campaign without sending \
            to anyone twice, and together keep the unit's rate. A recipient whose send was cut short by a crash \
            at the very moment of the provider call ends `uncertain`: see `crm campaigns retry --uncertain`.
            """
    )

    @Argument(help: "The campaign's id.")
    var id: String

    @Flag(help: "Only mark the campaign running: the listener sends it.")
    var detach = false

    @Option(help: ArgumentHelp("Provider calls in flight at most (1–256).", valueName: "n"))
    var concurrency = 32

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    struct Result: Encodable {
        var campaign: CampaignView
        /// completed, paused, cancelled, or interrupted (Ctrl-C: the campaign is paused).
        var ending: String
        var seconds: Double
    }

    func validate() throws {
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 256.") }
    }

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let (campaign, unit) = try await CampaignLookup.find(id, in: context)
            let control = CampaignControl(store: context.store)
            let connection: WhatsAppConnection
            switch try await control.readiness(of: campaign) {
            case .completed:
                let funnel = try await context.store.campaignFunnel(id: campaign.id)
                return try emit(campaign, unit, funnel, ending: "completed", seconds: 0, context)
            case .notConnected:
                throw CRMError.unavailable("Unit \(unit.slug) is not connected to WhatsApp: run `crm whatsapp connect --unit \(unit.slug)` first.")
            case .ready(let ready): connection = ready
            }
            let (running, funnel) = try await control.start(campaign)
            if detach { return try emit(running, unit, funnel, ending: "detached", seconds: 0, context) }
            try await dispatch(campaign, unit, connection, context)
        }
    }

    private func dispatch(_ campaign: Campaign, _ unit: BusinessUnit, _ connection: WhatsAppConnection, _ context: CommandContext) async throws {
        let started = Date()
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM])
        defer { signals.stop() }
        let progress = DispatchProgress(store: context.store, campaignId: campaign.id, pacing: campaign.pacing, json: outputOptions.json)
        let handle = try WhatsAppSupport.provider(for: connection, unit: unit, maxConnections: concurrency)
        let dispatcher = CampaignDispatcher(
            store: context.store, provider: handle.provider, connection: connection,
            timeZone: TimeZone(identifier: unit.timezone) ?? .current,
            configuration: .init(concurrency: concurrency), logger: Log.logger)
        let ending = await progress.showing {
            await dispatcher.run(campaign, isStopping: { signals.hasSignalled }) { event in progress.note(event) }
        }
        await handle.shutdown()
        var interrupted = false
        if ending == .stopped {
            interrupted = try await context.store.changeCampaignStatus(id: campaign.id, from: [.running], to: .paused, at: Date())
        }
        guard let current = try await context.store.campaign(id: campaign.id) else {
            throw CRMError.notFound("Campaign \(campaign.id.text) is gone: it was deleted with its unit.")
        }
        let funnel = try await context.store.campaignFunnel(id: campaign.id)
        let seconds = Date().timeIntervalSince(started)
        try emit(current, unit, funnel, ending: ending == .stopped ? "interrupted" : ending.rawValue, seconds: seconds, context)
        switch ending {
        case .completed: return
        case .stopped:
            let paused = interrupted ? "paused" : "left \(current.status.rawValue)"
            throw CRMError(.notConfirmed, "Interrupted: campaign \(campaign.id.text) is \(paused); "
                + "resume with crm campaigns dispatch \(campaign.id.text).")
        case .paused, .cancelled:
            throw CRMError(.notConfirmed, "Campaign \(campaign.id.text) was \(ending.rawValue) by another command: \(funnel.remaining) recipient(s) not sent.")
        }
    }

    private func emit(
        _ campaign: Campaign, _ unit: BusinessUnit, _ funnel: CampaignFunnel, ending: String, seconds: Double, _ context: CommandContext
    ) throws {
        let result = Result(campaign: CampaignView(campaign, unitSlug: unit.slug, funnel: funnel), ending: ending,
                            seconds: (seconds * 10).rounded() / 10)
        try context.output.emit(result) {
            var lines: [String] = []
            switch ending {
            case "detached": lines.append("Campaign \(campaign.id.text) is running: the listener (crm webhook serve) sends it.")
            case "completed": lines.append("Campaign \(campaign.id.text) completed.")
            default: break
            }
            lines.append(CampaignsShowCommand.funnelText(funnel))
            if funnel.uncertain > 0 {
                lines.append("\(funnel.uncertain) recipient(s) uncertain (the send was cut short: WhatsApp may have it). "
                    + "Send them again only if you accept a possible duplicate: crm campaigns retry \(campaign.id.text) --uncertain")
            }
            return lines.joined(separator: "\n")
        }
    }
}
