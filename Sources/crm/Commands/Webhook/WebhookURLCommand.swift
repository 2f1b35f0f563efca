import ArgumentParser
import CRMCore
import Foundation

/// `crm webhook url --unit UNIT`: the URL to give a provider for this unit.
struct WebhookURLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "url",
        abstract: "Print the webhook URL of a unit (BASE_URL/webhooks/whatsapp/<provider>/<secret>).",
        discussion: """
            `crm whatsapp connect` registers it with Evolution and Z-API itself; for Meta, paste it in the \
            app's webhook settings. The URL holds the unit's secret: share it only with the provider. \
            Needs CRM_SECRET_KEY (the secret is stored sealed).
            """
    )

    @Option(help: "The unit's id or slug.")
    var unit: String

    @Option(help: "The public URL of `crm webhook serve` (default: BASE_URL).")
    var baseURL: String?

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    struct Result: Encodable {
        var unit: String
        var provider: String
        var url: String
    }

    func run() async throws {
        let base = try WhatsAppSupport.webhookBase(baseURL)
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let connection = try await WhatsAppSupport.pairing(context).existingConnection(for: unit)
            guard let secret = try ConnectionSecrets.webhookSecret(of: connection, box: { try SecretBox.fromEnvironment() }) else {
                throw CRMError.notFound(
                    "Unit \(unit.slug) has no webhook secret yet: run `crm whatsapp connect --unit \(unit.slug)` to make one."
                )
            }
            let url = WebhookEndpoint.url(base: base, provider: connection.provider, secret: secret)
            try context.output.emit(Result(unit: unit.slug, provider: connection.provider.rawValue, url: url)) { url }
        }
    }
}
