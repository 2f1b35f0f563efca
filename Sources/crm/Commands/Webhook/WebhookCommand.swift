import ArgumentParser

/// `crm webhook`: the listener and its URLs.
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Receive the providers' webhooks: run the listener, show a unit's webhook URL, replay stored bodies.",
        subcommands: [WebhookServeCommand.self, WebhookURLCommand.self, WebhookTriggerCommand.self, WebhookReplayCommand.self]
    )
}
