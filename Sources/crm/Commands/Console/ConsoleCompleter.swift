import CRMCore

/// What Tab offers in the console: subcommands, then the command's options, and values where
/// crm knows them (unit slugs, user e-mails and roles from the open database, an option's fixed
/// choices). Pure: the console gives it the words before the cursor and the database's names.
struct ConsoleCompleter: Sendable {
    var tree: ConsoleCommandTree
    var unitSlugs: [String] = []
    var userEmails: [String] = []

    /// Words the console understands itself, offered with the top-level commands.
    static let builtins = ["exit", "help", "quit"]

    /// The candidates for `partial`, the word being typed after `words`; sorted, without duplicates.
    func candidates(words: [String], partial: String) -> [String] {
        var words = words
        if words.first == "crm" { words.removeFirst() }  // typed out of habit: the console strips it too
        var isHelp = false
        if words.first == "help" {
            isHelp = true
            words.removeFirst()
        }
        var command = tree
        var consumed = 0
        while consumed < words.count, let next = command.subcommand(named: words[consumed]) {
            command = next
            consumed += 1
        }
        let offered: [String]
        if consumed == words.count && !partial.hasPrefix("-") && !command.visibleSubcommands.isEmpty {
            offered = command.visibleSubcommands.map(\.commandName)
                + (words.isEmpty && !isHelp ? Self.builtins : [])
        } else if isHelp {
            offered = []
        } else {
            offered = arguments(of: command, after: Array(words[consumed...]), partial: partial)
        }
        return Array(Set(offered.filter { $0.hasPrefix(partial) })).sorted()
    }

    /// Candidates inside a command: an option's value, an option name, or a positional argument's value.
    private func arguments(of command: ConsoleCommandTree, after words: [String], partial: String) -> [String] {
        if let previous = words.last, let option = command.option(spelled: previous), option.kind == .option {
            return values(for: option)
        }
        if partial.hasPrefix("-") {
            let used = Set(words)
            return (command.arguments ?? []).filter { argument in
                argument.kind != .positional && argument.isShown
                    && (argument.isRepeating == true || argument.spellings.allSatisfy { !used.contains($0) })
            }.flatMap { $0.spellings.filter { $0.hasPrefix("--") } } + ["--help"]
        }
        let positionals = command.positionals
        let index = positionalCount(in: words, of: command)
        if index < positionals.count { return values(for: positionals[index]) }
        guard let last = positionals.last, last.isRepeating == true else { return [] }
        return values(for: last)
    }

    /// How many positional values `words` already holds (option names and their values skipped).
    private func positionalCount(in words: [String], of command: ConsoleCommandTree) -> Int {
        var count = 0
        var index = 0
        while index < words.count {
            let word = words[index]
            if word.hasPrefix("-") && word.count > 1 {
                if let option = command.option(spelled: word), option.kind == .option { index += 1 }
            } else {
                count += 1
            }
            index += 1
        }
        return count
    }

    /// The values crm knows for an argument, by its value name (`--unit`, `<unit>`, `<user>`, `--role`).
    private func values(for argument: ConsoleCommandTree.Argument) -> [String] {
        if let choices = argument.allValues, !choices.isEmpty { return choices }
        switch argument.valueName {
        case "unit": return unitSlugs
        case "user": return userEmails
        case "role": return Role.allCases.map(\.rawValue)
        default: return []
        }
    }
}
