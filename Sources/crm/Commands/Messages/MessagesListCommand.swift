import ArgumentParser
import CRMCore
import Foundation

/// `crm messages list --unit UNIT [--contact PHONE] [--direction in|out] [--status STATUS] [--since DURATION] [--limit N]`
struct MessagesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List a unit's messages, newest first.",
        discussion: """
            Examples:
              crm messages list --unit loja-centro --since 2h
              crm messages list --unit loja-centro --contact "+55 11 99876-5432" --direction in
              crm messages list --unit loja-centro --status failed --json | jq -r '.[].errorMessage'
            """
    )

    @Option(help: "The unit's id or slug.")
    var unit: String

    @Option(help: "Only messages with this contact: the phone with its country code (+55 11 99876-5432 or 5511998765432).")
    var contact: String?

    @Option(help: ArgumentHelp("Only inbound (in) or outbound (out) messages.", valueName: "in|out"),
            completion: .list(MessagingArguments.directionNames))
    var direction: String?

    @Option(help: ArgumentHelp("Only messages in this status: queued, sent, delivered, read, failed or received.",
                               valueName: "status"),
            completion: .list(MessagingArguments.statusNames))
    var status: String?

    @Option(help: ArgumentHelp("Only messages from this long ago until now: 90s, 30m, 2h, 7d, 2w.", valueName: "duration"))
    var since: String?

    @Option(help: "At most this many messages (1 to 1000).")
    var limit = 50

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let limit = try MessagingArguments.limit(limit)
        let phone = try contact.map(MessagingArguments.phone)
        let direction = try direction.map(MessagingArguments.direction)
        let state = try status.map(MessagingArguments.status)
        let since = try since.map { Date().addingTimeInterval(-(try DurationText.seconds($0, option: "--since"))) }
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let records = try await context.messageReads.messages(MessageFilter(
                unitId: unit.id, contactPhone: phone, direction: direction, state: state, since: since, limit: limit
            ))
            try context.output.emit(records.map(MessageView.init)) {
                guard !records.isEmpty else { return "No messages match." }
                return MessageText.table(records, output: context.output)
            }
        }
    }
}
