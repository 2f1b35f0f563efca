import ArgumentParser
import CRMCore
import Foundation

/// `crm webhook replay EVENT_ID | --failed [--limit N]`: applies stored webhook bodies again.
struct WebhookReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Apply stored webhook bodies again: one by its id, or every failed one.",
        discussion: """
            The listener stores every body it accepts before applying it. A body whose applying failed \
            (the database was down, a bug) keeps the result `failed`; replay parses the stored body \
            again with its provider's parser and applies it for its unit's current connection, exactly \
            as the listener would, with the time it was first received. Replaying is idempotent: a \
            message already stored is not stored again, a receipt never moves a status backward, an \
            old connection event never overrides a newer state. A body rejected as invalid has nothing \
            to apply and is not replayed. The listener may keep running meanwhile.

            The event id is the `eventId` of the listener's answer to the provider. Exits 0 when \
            every event was applied, 69 when one failed again or could not be replayed.

            Examples:
              crm webhook replay 6f1c2a9e-3b7d-4c5e-9a10-2b3c4d5e6f70
              crm webhook replay --failed --limit 50
              crm webhook replay --failed --json | jq -r '.[] | select(.result == "failed") | .error'
            """
    )

    @Argument(help: ArgumentHelp("The webhook event's id (the listener's eventId).", valueName: "event-id"))
    var eventId: String?

    @Flag(help: "Replay every event whose applying failed, oldest first.")
    var failed = false

    @Option(help: "With --failed: at most this many events (1 to 1000).")
    var limit: Int?

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        switch (eventId, failed) {
        case (nil, false): throw ValidationError("Give an event id, or --failed to replay every failed event.")
        case (.some, true): throw ValidationError("Give an event id or --failed, not both.")
        default: break
        }
        if limit != nil && !failed { throw ValidationError("--limit goes with --failed.") }
    }

    func run() async throws {
        let limit = try MessagingArguments.limit(limit ?? 100)
        let id = try eventId.map(Self.parseId)
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let ingestion = context.webhookIngestion
            var views: [WebhookReplayView] = []
            if let id {
                // One event: an event that cannot be replayed is the command's error (65, 66 or 67).
                views.append(WebhookReplayView(try await ingestion.replay(eventId: id)))
            } else {
                // A batch: one event that cannot be replayed must not stop the others.
                for event in try await context.webhookEvents.webhookEvents(result: .failed, limit: limit) {
                    do {
                        views.append(WebhookReplayView(try await ingestion.replay(event)))
                    } catch let error as CRMError {
                        views.append(WebhookReplayView(notReplayed: event, reason: error.message))
                    }
                }
            }
            try context.output.emit(views) {
                if views.isEmpty { return "No failed webhook events." }
                return WebhookReplayView.text(views, output: context.output)
            }
            let unapplied = views.filter { $0.result == WebhookReplayView.notReplayed || $0.result == WebhookEventResult.failed.rawValue }
            guard unapplied.isEmpty else {
                throw CRMError.unavailable(
                    "\(unapplied.count) of \(views.count) webhook event(s) were not applied: see the errors above, fix the cause, replay again."
                )
            }
        }
    }

    static func parseId(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text.trimmingCharacters(in: .whitespaces)) else {
            throw CRMError.invalidInput(
                "'\(text.prefix(40))' is not a webhook event id: ids look like 6f1c2a9e-3b7d-4c5e-9a10-2b3c4d5e6f70."
            )
        }
        return id
    }
}
