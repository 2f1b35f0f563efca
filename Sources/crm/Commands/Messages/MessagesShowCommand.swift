import ArgumentParser
import CRMCore
import Foundation

/// `crm messages show ID`
struct MessagesShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one message: its contact, status history, provider ids and error.",
        discussion: "Example: crm messages show 0b7e6d2c-5f0e-4a43-9f57-3c1a8d1e2f40 --json"
    )

    @Argument(help: "The message's id (the ID column of 'crm messages list').")
    var id: String

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        guard let messageId = UUID(uuidString: id.trimmingCharacters(in: .whitespaces)) else {
            throw CRMError.invalidInput(
                "'\(id.prefix(40))' is not a message id: ids look like 0b7e6d2c-5f0e-4a43-9f57-3c1a8d1e2f40 (see 'crm messages list')."
            )
        }
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            guard let record = try await context.messageReads.message(id: messageId) else {
                throw CRMError.notFound("No message \(messageId.text): check the id with 'crm messages list --unit UNIT'.")
            }
            let unit = try? await context.units.find(record.message.unitId.uuidString)
            try context.output.emit(MessageView(record)) { human(record, unitSlug: unit?.slug) }
        }
    }

    private func human(_ record: MessageRecord, unitSlug: String?) -> String {
        let message = record.message
        var lines: [(String, String)] = [
            ("ID", message.id.text),
            ("Unit", unitSlug ?? message.unitId.text),
            ("Direction", message.direction == .inbound ? "inbound (received)" : "outbound (sent by the unit)"),
            ("Status", message.state.rawValue),
            ("Type", message.kind.rawValue),
            ("Contact", MessageText.flat(record.contact.display) + (record.contact.optedOut ? " (opted out)" : "")),
            ("Conversation", message.conversationId.text),
        ]
        if let provider = message.provider { lines.append(("Provider", provider.rawValue)) }
        if let externalId = message.externalId { lines.append(("Provider id", MessageText.flat(externalId))) }
        if let clientId = message.clientMessageId { lines.append(("Client id", MessageText.flat(clientId))) }
        if let campaignId = message.campaignId { lines.append(("Campaign", campaignId.text)) }
        if message.retryCount > 0 { lines.append(("Retries", String(message.retryCount))) }
        if message.errorCode != nil || message.errorMessage != nil {
            lines.append(("Error", MessageText.flat([message.errorCode, message.errorMessage].compactMap { $0 }.joined(separator: ": "))))
        }
        lines.append(("Created", message.createdAt.secondsDisplay))
        let history: [(String, Date?)] = [
            ("Queued", message.queuedAt), ("Sent", message.sentAt), ("Delivered", message.deliveredAt),
            ("Read", message.readAt), ("Failed", message.failedAt), ("Received", message.receivedAt),
        ]
        for case let (label, date?) in history { lines.append((label, date.secondsDisplay)) }
        let width = lines.map(\.0.count).max() ?? 0
        var text = lines.map { "\($0.0):".padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }
        text.append("")
        text.append(message.body.map { $0.isEmpty ? "(empty)" : MessageText.printable($0, keepingNewlines: true) }
            ?? "(no text: \(message.kind.rawValue))")
        return text.joined(separator: "\n")
    }
}
