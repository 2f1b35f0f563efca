import ArgumentParser
import CRMCore
import CRMProviders
import Foundation

/// `crm send --unit UNIT --to PHONE --text TEXT` (or `--template NAME --language CODE`): one
/// WhatsApp message, sent at most once per client message id.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a WhatsApp text or template from a unit's number (idempotent with --client-message-id).",
        discussion: """
            The message is stored as queued under its client message id (a new one when not given), then \
            sent through the unit's provider; failures that may pass (timeouts, 5xx, refused connections) \
            are retried with backoff, 3 attempts in all. The same --client-message-id sent again — by a \
            retried script, or by several processes at once — makes one provider call and answers with the \
            same message; the same id with another text, template or recipient is refused (exit 67).

            The number may be international (+55 11 99876-5432) or national for the unit's country \
            (011 99876-5432). The text comes from --text, --text-file, or standard input.

            A contact who opted out is refused unless --force. On a Meta Cloud API unit, free text goes \
            only within 24 hours of the contact's last message (Meta's customer service window); outside \
            it, send an approved template: --template NAME --language CODE, with one --param per body \
            variable in order. Templates are Meta only. Refusals store and send nothing (exit 65).

            Examples:
              crm send --unit loja --to "+55 11 99876-5432" --text "Seu pedido saiu para entrega."
              crm send --unit loja --to 11998765432 --text-file aviso.txt --client-message-id pedido-4521 --json
              echo "Olá!" | crm send --unit loja --to 5511998765432
              crm send --unit loja --to 5511998765432 --template pedido_enviado --language pt_BR --param Maria --param 4521
            """
    )

    @Option(help: "The unit's id or slug.")
    var unit: String

    @Option(help: "The recipient's phone number.")
    var to: String

    @Option(help: "The text to send.")
    var text: String?

    @Option(help: "Read the text from this UTF-8 file.")
    var textFile: String?

    @Option(help: ArgumentHelp("Send this approved template (Meta Cloud API units) instead of text.", valueName: "name"))
    var template: String?

    @Option(help: ArgumentHelp("The template's language code, as approved (pt_BR, en_US).", valueName: "code"))
    var language: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A value for the template's next body variable ({{1}}, {{2}}…); repeat in order.", valueName: "value"))
    var parameters: [String] = []

    @Option(help: "Your idempotency key (1–200 characters): the same key never sends twice.")
    var clientMessageId: String?

    @Flag(help: "Send even to a contact who opted out.")
    var force = false

    @Flag(help: "Only store the message as queued; the listener's outbound worker sends it.")
    var queue = false

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    struct Result: Encodable {
        var id: String
        var clientMessageId: String?
        var to: String
        /// `text` or `template`.
        var type: String
        var status: String
        var externalId: String?
        var attempts: Int
        /// `false` when the client message id had been used before: nothing new was sent.
        var createdNow: Bool
    }

    func validate() throws {
        if text != nil && textFile != nil { throw ValidationError("Give --text or --text-file, not both.") }
        if template != nil {
            if text != nil || textFile != nil { throw ValidationError("Give --template or --text/--text-file, not both: a template carries its own text.") }
            if language == nil { throw ValidationError("Give the template's language with --language (e.g. pt_BR), as approved in WhatsApp Manager.") }
        } else if language != nil || !parameters.isEmpty {
            throw ValidationError("--language and --param go with --template NAME.")
        }
    }

    func run() async throws {
        let content = try readContent()
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let service = SendService(store: context.store)
            let (request, connection) = try await service.prepare(
                unit: unit, to: to, content: content, clientMessageId: clientMessageId, force: force)
            let outcome: SendService.Outcome
            if queue {
                outcome = try await service.send(request, connection: connection, provider: nil, queueOnly: true)
            } else {
                let handle = try WhatsAppSupport.provider(for: connection, unit: unit)
                do {
                    outcome = try await handle.use { provider in
                        try await service.send(request, connection: connection, provider: provider, queueOnly: false)
                    }
                } catch let failure as SendFailure {
                    throw CRMError(.unavailable, "Not sent (message \(failure.message.id.text), \(failure.message.retryCount) "
                        + "attempt(s)): \(failure.error.message)")
                }
            }
            let message = outcome.message
            let result = Result(
                id: message.id.text, clientMessageId: message.clientMessageId, to: PhoneDisplay.masked(request.phone),
                type: message.kind.rawValue, status: message.state.rawValue, externalId: message.externalId, attempts: message.retryCount,
                createdNow: outcome.createdNow
            )
            try context.output.emit(result) {
                let what = message.template.map { " template \($0.name) (\($0.language))" } ?? ""
                let verb = message.state == .queued ? "Queued\(what) for" : "Sent\(what) to"
                let again = outcome.createdNow ? "" : " (already sent with this client message id; nothing new was sent)"
                return "\(verb) \(result.to): message \(result.id), \(result.status)\(again)."
            }
        }
    }

    private func readContent() throws -> OutboundContent {
        if let template, let language {
            return .template(MessageTemplate(name: template, language: language, parameters: parameters))
        }
        return .text(try readText())
    }

    private func readText() throws -> String {
        if let text { return text }
        if let textFile {
            guard let data = FileManager.default.contents(atPath: textFile) else {
                throw CRMError.notFound("Cannot read \(textFile): check the path.")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw CRMError.invalidInput("\(textFile) is not UTF-8 text.")
            }
            return text
        }
        guard !Terminal.stdinIsTerminal else {
            throw ValidationError("Give the text with --text or --text-file, or pipe it on standard input.")
        }
        var bytes = StandardInput.readAll()
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
