import ArgumentParser

/// `crm units`: tenants.
struct UnitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "Create, list, rename and delete units (tenants).",
        subcommands: [
            UnitsCreateCommand.self, UnitsListCommand.self, UnitsShowCommand.self, UnitsRenameCommand.self,
            UnitsDeleteCommand.self,
        ]
    )
}
