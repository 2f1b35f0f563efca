import ArgumentParser
import CRMCore
import CRMProviders
import Foundation

/// `crm webhook trigger PROVIDER.EVENT --unit UNIT`: posts a realistic sample webhook to the
/// listener, as `stripe trigger` does: a smoke test after a deploy, or a look at the listener
/// working without a phone.
struct WebhookTriggerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger",
        abstract: "Post a sample provider webhook (signed where the provider signs) to the listener.",
        discussion: """
            The body has the provider's real shape and names the unit's instance; Meta bodies are signed \
            with the unit's app secret. The listener stores and applies it like any webhook, so an \
            inbound message appears in `crm messages list`. Needs CRM_SECRET_KEY (the webhook secret is \
            sealed) and BASE_URL or --url.

            Examples:
              crm webhook trigger --list
              crm webhook trigger evolution.messages.upsert --unit loja
              crm webhook trigger meta.messages --unit loja-meta --url http://127.0.0.1:3000
            """
    )

    @Argument(help: "The event, e.g. evolution.messages.upsert (see --list).")
    var event: String?

    @Flag(help: "List the events and exit.")
    var list = false

    @Option(help: "The unit's id or slug.")
    var unit: String?

    @Option(help: "The listener's base URL (default: BASE_URL).")
    var url: String?

    @Option(help: "The contact's phone (digits with country code) in the sample.")
    var contact = "5511999990001"

    @Option(help: "The message id the sample carries (receipts: the id of a message the unit sent).")
    var id: String?

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    struct Result: Encodable {
        var event: String
        var url: String
        var status: Int
        var answer: String
        var externalId: String?
    }

    func validate() throws {
        if list { return }
        guard let event else { throw ValidationError("Give the event to trigger (see --list).") }
        guard WebhookTriggerEvent(rawValue: event) != nil else {
            throw ValidationError("Unknown event '\(event.prefix(60))': run `crm webhook trigger --list`.")
        }
        guard unit != nil else { throw ValidationError("Give --unit: the webhook is posted to that unit's URL.") }
    }

    func run() async throws {
        if list {
            let width = WebhookTriggerEvent.allCases.map(\.rawValue.count).max() ?? 0
            print(WebhookTriggerEvent.allCases.map { $0.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.summary }
                .joined(separator: "\n"))
            return
        }
        guard let name = event, let trigger = WebhookTriggerEvent(rawValue: name), let unitName = unit else { return }
        let base = try WhatsAppSupport.webhookBase(url)
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(unitName)
            let connection = try await WhatsAppSupport.pairing(context).existingConnection(for: unit)
            guard connection.provider == trigger.provider else {
                throw CRMError.invalidInput(
                    "Unit \(unit.slug) uses \(connection.provider.rawValue); pick a \(connection.provider.rawValue).… event (see --list)."
                )
            }
            let box = { try SecretBox.fromEnvironment() }
            guard let secret = try ConnectionSecrets.webhookSecret(of: connection, box: box) else {
                throw CRMError.notFound("Unit \(unit.slug) has no webhook URL yet: run `crm whatsapp connect --unit \(unit.slug)` first.")
            }
            var appSecret: String?
            if case .meta(let credentials) = try ConnectionSecrets.settings(of: connection, unitSlug: unit.slug, box: box) {
                appSecret = credentials.appSecret
            }
            let target = WebhookEndpoint.url(base: base, provider: connection.provider, secret: secret)
            let request: WebhookTriggerRequest
            do {
                request = try trigger.request(
                    instance: connection.instanceName, contactPhone: contact, externalId: id, metaAppSecret: appSecret,
                    accountPhone: connection.status.phone, webhookURL: target
                )
            } catch {
                throw CRMError.invalidInput("\(error)")
            }
            let http = ProviderHTTPClient()
            let response: ProviderHTTPResponse
            do {
                response = try await http.post(url: target, headers: request.headers, body: request.body)
                try? await http.shutdown()
            } catch {
                try? await http.shutdown()
                throw CRMError.unavailable("The listener at \(base) did not answer: is `crm webhook serve` running there?")
            }
            let shown = WebhookEndpoint.masked(base: base, provider: connection.provider, secret: secret)
            let answer = String(decoding: response.body.prefix(2000), as: UTF8.self)
            let result = Result(event: name, url: shown, status: response.status, answer: answer, externalId: request.externalId)
            try context.output.emit(result) { "POST \(shown) → \(response.status) \(answer)" }
            guard response.isSuccess else {
                throw CRMError.unavailable("The listener answered \(response.status): see the answer above and the listener's log.")
            }
        }
    }
}
