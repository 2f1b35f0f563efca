import CRMCore
import Testing

@testable import crm

@Suite("Console line splitter")
struct ConsoleLineSplitterTests {
    @Test(arguments: [
        ("units list", ["units", "list"]),
        ("  units   list\t--json  ", ["units", "list", "--json"]),
        ("units create \"São Paulo Centro\"", ["units", "create", "São Paulo Centro"]),
        ("send --text 'it''s'", ["send", "--text", "its"]),
        ("send --text \"it's \\\"quoted\\\" \\\\ \\n\"", ["send", "--text", "it's \"quoted\" \\ \\n"]),
        ("send --text it\\'s\\ fine", ["send", "--text", "it's fine"]),
        ("units create ''", ["units", "create", ""]),
        ("units list # the comment", ["units", "list"]),
        ("units create a#b", ["units", "create", "a#b"]),
        ("# only a comment", []),
        ("", []),
    ])
    func splits(line: String, words: [String]) throws {
        #expect(try ConsoleLineSplitter.split(line) == words)
    }

    @Test(arguments: ["units create \"Loja", "units create 'Loja", "units create Loja\\"])
    func refusesUnfinished(line: String) {
        #expect {
            try ConsoleLineSplitter.split(line)
        } throws: { error in
            (error as? CRMError)?.kind == .invalidInput
        }
    }

    @Test("for completion: the words before the cursor and the word being typed, open quotes allowed", arguments: [
        ("units sh", ["units"], "sh"),
        ("units show ", ["units", "show"], ""),
        ("", [], ""),
        ("units create \"Loja C", ["units", "create"], "Loja C"),
    ])
    func forCompletion(line: String, words: [String], partial: String) {
        let split = ConsoleLineSplitter.splitForCompletion(line)
        #expect(split.words == words)
        #expect(split.partial == partial)
    }

    @Test("history keeps ordinary lines, not those with a secret or a leading blank")
    func historyFilter() {
        #expect(ConsoleHistory.keeps("units list"))
        #expect(ConsoleHistory.keeps("users create --email a@b.c --role agent --password-stdin"))
        #expect(!ConsoleHistory.keeps(" units list"))
        #expect(!ConsoleHistory.keeps(""))
        #expect(!ConsoleHistory.keeps("whatsapp configure --unit x --provider meta --access-token abc"))
        #expect(!ConsoleHistory.keeps("whatsapp configure --unit x --provider zapi --client-token=abc"))
        #expect(!ConsoleHistory.keeps("whatsapp configure --unit x --provider meta --app-secret s"))
    }
}
