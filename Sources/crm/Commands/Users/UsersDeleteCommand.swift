import ArgumentParser
import CRMCore

/// `crm users delete USER [--yes]`
struct UsersDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a user.",
        discussion: "Asks for confirmation on a terminal; scripts must pass --yes. To keep the history, prefer 'crm users disable'."
    )

    @Argument(help: "The user's id or email.")
    var user: String

    @Flag(name: [.long, .customShort("y")], help: "Delete without asking.")
    var yes = false

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let user = try await context.users.find(self.user)
            if !yes {
                try Terminal.requireConfirmation(
                    question: "Delete user \(user.email) (\(user.role.rawValue))?", subject: "user \(user.email)"
                )
            }
            try await context.users.delete(user)
            try context.output.emit(DeletedView(id: user.id.text, kind: "user")) { "Deleted user \(user.email)." }
        }
    }
}
