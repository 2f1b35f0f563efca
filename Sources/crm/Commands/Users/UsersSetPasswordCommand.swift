import ArgumentParser
import CRMCore

/// `crm users set-password USER [--password-stdin]`
struct UsersSetPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-password",
        abstract: "Set a user's password. Ends the user's sessions.",
        discussion: "Example: printf '%s' \"$NEW_PASSWORD\" | crm users set-password ana@example.com --password-stdin"
    )

    @Argument(help: "The user's id or email.")
    var user: String

    @Flag(help: "Read the password from stdin instead of asking for it.")
    var passwordStdin = false

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let existing = try await context.users.find(self.user)  // an unknown user fails before the prompt
            let password = try Terminal.readNewPassword(fromStdin: passwordStdin)
            let user = try await context.users.setPassword(existing.id.text, password: password)
            try context.output.emit(try await context.view(user)) { "Password of \(user.email) changed." }
        }
    }
}
