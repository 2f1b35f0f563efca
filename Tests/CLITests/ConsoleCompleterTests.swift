import Testing

@testable import crm

/// Tab's candidates, from crm's real command tree (swift-argument-parser's description of it).
@Suite("Console completion candidates")
struct ConsoleCompleterTests {
    let completer = ConsoleCompleter(
        tree: .crm, unitSlugs: ["loja-centro", "loja-sul", "matriz"], userEmails: ["ana@example.com", "bruno@example.com"]
    )

    @Test("top level: crm's commands and the console's own words, never `console`")
    func topLevel() {
        let all = completer.candidates(words: [], partial: "")
        for name in ["units", "users", "send", "messages", "campaigns", "db", "help", "exit", "quit"] {
            #expect(all.contains(name), "\(name) missing from \(all)")
        }
        #expect(!all.contains("console"))
        #expect(completer.candidates(words: [], partial: "us") == ["users"])
        #expect(completer.candidates(words: [], partial: "u") == ["units", "users"])
        #expect(completer.candidates(words: ["crm"], partial: "us") == ["users"])
    }

    @Test("subcommands of a group, and after `help`")
    func subcommands() {
        #expect(completer.candidates(words: ["units"], partial: "sh") == ["show"])
        #expect(completer.candidates(words: ["units"], partial: "").contains("create"))
        #expect(completer.candidates(words: ["help"], partial: "uni") == ["units"])
        #expect(completer.candidates(words: ["help", "units"], partial: "de") == ["delete"])
        #expect(completer.candidates(words: ["help", "units", "delete"], partial: "") == [])
    }

    @Test("options of a command: long names, --help, each option once unless it repeats")
    func options() {
        let options = completer.candidates(words: ["users", "list"], partial: "--")
        #expect(options.contains("--unit") && options.contains("--role") && options.contains("--json") && options.contains("--database"))
        #expect(options.contains("--help"))
        #expect(!completer.candidates(words: ["users", "list", "--json"], partial: "--").contains("--json"))
        #expect(completer.candidates(words: ["send"], partial: "--te").contains("--text"))
    }

    @Test("values: unit slugs, user e-mails, roles, positional or after the option")
    func values() {
        #expect(completer.candidates(words: ["units", "show"], partial: "lo") == ["loja-centro", "loja-sul"])
        #expect(completer.candidates(words: ["users", "list", "--unit"], partial: "") == ["loja-centro", "loja-sul", "matriz"])
        #expect(completer.candidates(words: ["users", "show"], partial: "a") == ["ana@example.com"])
        #expect(completer.candidates(words: ["users", "set-role", "ana@example.com"], partial: "") == ["agent", "super_admin", "unit_admin"])
        #expect(completer.candidates(words: ["users", "list", "--role"], partial: "s") == ["super_admin"])
        #expect(completer.candidates(words: ["messages", "list", "--json", "--unit"], partial: "m") == ["matriz"])
        // A value already given: the next positional has nothing to offer (a new name).
        #expect(completer.candidates(words: ["units", "rename", "matriz"], partial: "") == [])
    }
}
