import ArgumentParser
import CRMCore

/// `crm users show USER`
struct UsersShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a user.")

    @Argument(help: "The user's id or email.")
    var user: String

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let user = try await context.users.find(self.user)
            let view = try await context.view(user)
            try context.output.emit(view) { UserView.describe(user, view) }
        }
    }
}

extension UserView {
    static func describe(_ user: CRMCore.User, _ view: UserView) -> String {
        """
        Email:    \(user.email)
        Name:     \(user.name ?? "-")
        Role:     \(user.role.rawValue)
        Unit:     \(view.unitSlug ?? "-")
        Status:   \(user.disabledAt.map { "disabled since \($0.shortDisplay)" } ?? "active")
        ID:       \(user.id.text)
        Created:  \(user.createdAt.shortDisplay)
        Updated:  \(user.updatedAt.shortDisplay)
        """
    }
}
