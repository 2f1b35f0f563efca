import ArgumentParser
import CRMCore

/// `crm users set-role USER ROLE [--unit UNIT]`
struct UsersSetRoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-role",
        abstract: "Change a user's role (and unit). Ends the user's sessions.",
        discussion: """
            A user who keeps a unit-bound role stays in its unit unless --unit says otherwise.

            Examples:
              crm users set-role ana@example.com agent
              crm users set-role ana@example.com unit_admin --unit loja-2
              crm users set-role ana@example.com super_admin
            """
    )

    @Argument(help: "The user's id or email.")
    var user: String

    @Argument(help: "super_admin, unit_admin or agent.")
    var role: String

    @Option(help: "The unit's id or slug (unit_admin and agent).")
    var unit: String?

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let role = try Role(parsing: role)
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let user = try await context.users.setRole(self.user, role: role, unit: unit)
            let view = try await context.view(user)
            try context.output.emit(view) {
                "\(user.email) is now \(role.rawValue)\(view.unitSlug.map { " in unit \($0)" } ?? "")."
            }
        }
    }
}
