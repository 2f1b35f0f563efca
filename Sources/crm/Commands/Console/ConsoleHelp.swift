import Foundation

/// What `help` prints in the console: crm's commands, then the console's own words.
enum ConsoleHelp {
    static func text(_ tree: ConsoleCommandTree = .crm) -> String {
        let commands = tree.visibleSubcommands.filter { $0.commandName != "help" }
        let width = max(commands.map(\.commandName.count).max() ?? 0, 4)
        var lines = [
            "Type a crm command without `crm`. Tab completes commands, options, unit slugs and user e-mails;",
            "Up and Down recall earlier lines (kept across sessions).",
            "",
            "Commands:",
        ]
        for command in commands {
            let name = command.commandName.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(name)  \(command.abstract ?? "")")
        }
        lines += [
            "",
            "  help COMMAND [SUBCOMMAND]   that command's help (or COMMAND --help)",
            "  exit, quit, Ctrl-D          leave the console; Ctrl-C drops the line being typed",
            "",
            "Run in a terminal of their own, not here: webhook serve (serve), simulator serve, demo.",
        ]
        return lines.joined(separator: "\n")
    }
}
