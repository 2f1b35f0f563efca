import ArgumentParser
import Foundation

/// crm's commands, options and arguments as swift-argument-parser describes them (the JSON of
/// `crm --experimental-dump-help`): what the console completes, never a second list to keep current.
struct ConsoleCommandTree: Decodable, Equatable {
    var commandName: String
    var abstract: String?
    var shouldDisplay: Bool?
    var subcommands: [ConsoleCommandTree]?
    var arguments: [Argument]?

    struct Argument: Decodable, Equatable {
        enum Kind: String, Decodable { case positional, option, flag }
        struct Name: Decodable, Equatable {
            var kind: String
            var name: String
            /// As typed: `--unit`, `-u`, or `-long` for a single-dash long name.
            var spelled: String { kind == "short" || kind == "longWithSingleDash" ? "-" + name : "--" + name }
        }
        var kind: Kind
        var names: [Name]?
        var valueName: String?
        var shouldDisplay: Bool?
        var isRepeating: Bool?
        /// The values an enumerated option accepts.
        var allValues: [String]?

        var spellings: [String] { (names ?? []).map(\.spelled) }
        var isShown: Bool { shouldDisplay ?? true }
    }

    /// The subcommands a person may type (hidden ones left out).
    var visibleSubcommands: [ConsoleCommandTree] { (subcommands ?? []).filter { $0.shouldDisplay ?? true } }

    func subcommand(named name: String) -> ConsoleCommandTree? {
        subcommands?.first { $0.commandName == name }
    }

    /// The option or flag spelled `spelling` (`--unit`), if this command has one.
    func option(spelled spelling: String) -> Argument? {
        arguments?.first { $0.kind != .positional && $0.spellings.contains(spelling) }
    }

    var positionals: [Argument] { (arguments ?? []).filter { $0.kind == .positional } }

    /// crm's own tree, without `console` (the console does not nest).
    static let crm: ConsoleCommandTree = {
        struct Dump: Decodable { var command: ConsoleCommandTree }
        guard var tree = try? JSONDecoder().decode(Dump.self, from: Data(CRM._dumpHelp().utf8)).command else {
            return ConsoleCommandTree(commandName: "crm")
        }
        tree.subcommands?.removeAll { $0.commandName == ConsoleCommand.configuration.commandName }
        return tree
    }()
}
