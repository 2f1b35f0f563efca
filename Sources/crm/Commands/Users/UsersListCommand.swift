import ArgumentParser
import CRMCore

/// `crm users list [--unit UNIT] [--role ROLE]`
struct UsersListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List users, optionally of one unit or one role."
    )

    @Option(help: "Only users of this unit (id or slug).")
    var unit: String?

    @Option(help: "Only users with this role.")
    var role: String?

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let role = try role.map(Role.init(parsing:))
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let users = try await context.users.list(unit: unit, role: role)
            let slugs = Dictionary(uniqueKeysWithValues: try await context.units.list().map { ($0.id, $0.slug) })
            let views = users.map { UserView($0, unitSlug: $0.unitId.flatMap { slugs[$0] }) }
            try context.output.emit(views) {
                guard !views.isEmpty else { return "No users match." }
                var table = Table("EMAIL", "NAME", "ROLE", "UNIT", "STATUS", "CREATED", "ID")
                for (user, view) in zip(users, views) {
                    table.add(
                        user.email, user.name ?? "", user.role.rawValue, view.unitSlug ?? "-",
                        user.isDisabled ? "disabled" : "active", user.createdAt.shortDisplay, user.id.text
                    )
                }
                return context.output.table(table)
            }
        }
    }
}
