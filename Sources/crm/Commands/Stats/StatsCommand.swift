import ArgumentParser
import CRMCore
import Foundation

/// `crm stats [--unit UNIT] [--since DURATION]`: operating figures from the database.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show operating figures from the database: webhooks received and their results, messages, retries.",
        discussion: """
            Counts over the period (default: the last 24 hours), for one unit or for all.

            Webhooks received: the bodies the listener stored (webhook_events, by received_at). A \
            provider's retries of one body are one row; requests to an unknown URL are never stored.
            Success rate: (applied + ignored + duplicate) / (those + failed + invalid). Pending bodies \
            (in flight, or left by a crash until a listener starts again) and bodies about an unknown \
            instance are left out of it.
            Unknown-instance rate: bodies naming an instance the unit does not own / bodies received.
            Re-applied: bodies applied more than once (attempts > 1): a provider's retry after a \
            failure, crm webhook replay, or the recovery of a body a crash left pending.
            Dedupe rate: not in the database, where a duplicate is answered from the stored row and \
            never written. Each listener counts them since its start on GET /metrics: \
            crm_webhook_dedupes_total over crm_webhooks_received_total.
            Messages in and out: by direction and status, by created_at (for a received message, the \
            time the provider gives).
            Outbound retry rate: retries / provider send calls. A message's retry_count is the \
            number of calls crm made to send it (1 when the first succeeded), so the calls are \
            its sum and the retries the sum of retry_count - 1; messages sent from the phone and \
            queued ones not attempted yet make no calls.

            A rate is null in --json (n/a in text) when there is nothing to divide by.

            Examples:
              crm stats
              crm stats --unit loja-centro --since 7d
              crm stats --since 1h --json | jq '.webhooks.successRate'
            """
    )

    @Option(help: "Only this unit (its id or slug); default: every unit.")
    var unit: String?

    @Option(help: ArgumentHelp("The period: from this long ago until now: 90s, 30m, 2h, 7d, 2w.", valueName: "duration"))
    var since = "24h"

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let seconds = try DurationText.seconds(since, option: "--since")
        let until = Date()
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            var unit: BusinessUnit?
            if let name = self.unit { unit = try await context.units.find(name) }
            let period = StatsPeriod(unitId: unit?.id, since: until.addingTimeInterval(-seconds), until: until)
            let stats = try await OperatingStats.load(period, from: context.operatingStats)
            let view = StatsView(stats, unitSlug: unit?.slug)
            try context.output.emit(view) { view.text(periodName: since.trimmingCharacters(in: .whitespaces).lowercased()) }
        }
    }
}
