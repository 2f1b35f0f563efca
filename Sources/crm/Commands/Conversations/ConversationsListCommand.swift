import ArgumentParser
import CRMCore

/// `crm conversations list --unit UNIT [--limit N]`
struct ConversationsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List a unit's conversations, most recent activity first.",
        discussion: """
            Conversations without any message yet come last. Example:
              crm conversations list --unit loja-centro --limit 20
            """
    )

    @Option(help: "The unit's id or slug.")
    var unit: String

    @Option(help: "At most this many conversations (1 to 1000).")
    var limit = 50

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let limit = try MessagingArguments.limit(limit)
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let records = try await context.messageReads.conversations(unitId: unit.id, limit: limit)
            try context.output.emit(records.map(ConversationView.init)) {
                guard !records.isEmpty else { return "No conversations yet in \(unit.slug)." }
                var table = Table("LAST MESSAGE", "CONTACT", "PREVIEW", "ID")
                for record in records {
                    let conversation = record.conversation
                    table.add(
                        conversation.lastMessageAt?.shortDisplay ?? "-", record.contact.display,
                        conversation.lastMessagePreview ?? "", conversation.id.text
                    )
                }
                return context.output.table(table)
            }
        }
    }
}
