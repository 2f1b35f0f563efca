import ArgumentParser
import CRMCore

/// `crm users disable USER`
struct UsersDisableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disable a user: it can no longer log in, and its sessions end."
    )

    @Argument(help: "The user's id or email.")
    var user: String

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let user = try await context.users.setDisabled(self.user, true)
            try context.output.emit(try await context.view(user)) { "Disabled \(user.email)." }
        }
    }
}

/// `crm users enable USER`
struct UsersEnableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled user.")

    @Argument(help: "The user's id or email.")
    var user: String

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let user = try await context.users.setDisabled(self.user, false)
            try context.output.emit(try await context.view(user)) { "Enabled \(user.email)." }
        }
    }
}
