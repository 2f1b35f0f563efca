import ArgumentParser
import CRMCore

/// `crm users create --email EMAIL --role ROLE [--unit UNIT] [--name NAME] [--password-stdin]`
struct UsersCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a user.",
        discussion: """
            unit_admin and agent belong to a unit (--unit); super_admin to none. Without --password-stdin \
            the password is asked twice on the terminal, without echo.

            Examples:
              crm users create --email ana@example.com --role unit_admin --unit sao-paulo-centro
              printf '%s' "$PASSWORD" | crm users create --email bot@example.com --role agent --unit loja-2 --password-stdin --json
            """
    )

    @Option(help: "Login email (unique, case-insensitive).")
    var email: String

    @Option(help: "super_admin, unit_admin or agent.")
    var role: String

    @Option(help: "The unit's id or slug (unit_admin and agent).")
    var unit: String?

    @Option(help: "Display name.")
    var name: String?

    @Flag(help: "Read the password from stdin instead of asking for it.")
    var passwordStdin = false

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let role = try Role(parsing: role)
        _ = try EmailAddress.validate(email)  // a bad email is reported before a password is asked for
        let password = try Terminal.readNewPassword(fromStdin: passwordStdin)
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let user = try await context.users.create(
                email: email, role: role, unit: unit, name: name, password: password
            )
            let view = try await context.view(user)
            try context.output.emit(view) {
                "Created \(user.role.rawValue) \(user.email)\(view.unitSlug.map { " in unit \($0)" } ?? "") (id \(user.id.text))."
            }
        }
    }
}
