import ArgumentParser

/// `crm units`: tenants.
struct UnitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "Create, list, update and delete units (tenants).",
        subcommands: [
            UnitsCreateCommand.self, UnitsListCommand.self, UnitsShowCommand.self, UnitsUpdateCommand.self,
            UnitsRenameCommand.self, UnitsDeleteCommand.self,
        ]
    )
}
