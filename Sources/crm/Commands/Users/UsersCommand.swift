import ArgumentParser
import CRMCore
import CRMStore

/// `crm users`: people who log in.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Create and manage users: roles, units, passwords.",
        subcommands: [
            UsersCreateCommand.self, UsersListCommand.self, UsersShowCommand.self, UsersSetRoleCommand.self,
            UsersSetPasswordCommand.self, UsersDisableCommand.self, UsersEnableCommand.self, UsersDeleteCommand.self,
        ]
    )
}

extension CommandContext {
    /// The slug of a user's unit, for display.
    func unitSlug(of user: CRMCore.User) async throws -> String? {
        guard let unitId = user.unitId else { return nil }
        return try await store.unit(id: unitId)?.slug
    }

    func view(_ user: CRMCore.User) async throws -> UserView {
        UserView(user, unitSlug: try await unitSlug(of: user))
    }
}

