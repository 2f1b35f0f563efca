import Foundation
import Testing

@testable import CRMCore

@Suite("Opt-out keywords")
struct OptOutKeywordsTests {
    @Test("the whole text, without case, accents, surrounding spaces or punctuation", arguments: [
        "STOP", "stop", "Stop!", "stop!!!", " SAIR ", "\tsair\n", "Parar", "PARAR.", "párar", "Cancelar", "CANCELÁR?!",
        "*PARAR*", "¡Parar!", "\"stop\"", "stop !", "ＳＴＯＰ",
    ])
    func matchesDefaults(text: String) {
        #expect(OptOutKeywords.defaults.matches(text), "\(text.debugDescription) should opt out")
    }

    @Test("anything more, or less, is an ordinary message", arguments: [
        "quero parar", "parar de receber", "stop please", "STOPP", "sto p", "SAI", "não", "", "   ", "!!!", "🛑",
        "Parar 🛑", "cancelar pedido", "stop\nagora",
    ])
    func ordinaryMessages(text: String) {
        #expect(!OptOutKeywords.defaults.matches(text), "\(text.debugDescription) should not opt out")
    }

    @Test("a unit's own keywords replace the defaults; phrases and accents work both ways")
    func ownKeywords() throws {
        let keywords = try OptOutKeywords.parse(" Não quero , DESCADASTRAR,basta")
        #expect(keywords.words == ["Não quero", "DESCADASTRAR", "basta"])
        #expect(keywords.matches("nao   QUERO!"))
        #expect(keywords.matches("Descadastrar."))
        #expect(keywords.matches("BASTA"))
        #expect(!keywords.matches("stop"), "the defaults no longer apply")
        #expect(!keywords.matches("não quero mais"))
    }

    @Test("texts too long to be a keyword are not normalized")
    func candidates() {
        #expect(OptOutKeywords.candidate("  Parar! ") == "parar")
        #expect(OptOutKeywords.candidate(String(repeating: "a", count: 31)) == nil)
        #expect(OptOutKeywords.candidate(String(repeating: "a", count: 30)) == String(repeating: "a", count: 30))
        #expect(OptOutKeywords.candidate("stop" + String(repeating: " ", count: 300)) == nil)
        #expect(OptOutKeywords.candidate("...") == nil)
    }

    @Test("the ASCII pre-check rejects ordinary messages and never a text whose form is a keyword")
    func asciiPreCheck() throws {
        let defaults = OptOutKeywords.defaults
        #expect(!defaults.mayMatch("Olá! Quero saber o horário de hoje."), "q, u, e… are in no default keyword")
        #expect(defaults.mayMatch("ＳＴＯＰ") && defaults.mayMatch("CANCELÁR?!") && defaults.mayMatch("stop please"))
        let own = try OptOutKeywords.parse("sair2, Não quero")
        #expect(own.matches("SAIR2!") && own.matches("nao QUERO") && !own.matches("sair3"))

        // Random texts from keyword pieces, other letters, accents, width forms, marks, spaces and
        // punctuation: matches (with the pre-check) decides as normalizing every text would.
        let pieces = ["stop", "STOP", "Sto", "p", "parar", "PÁRAR", "sair", "sair2", "não", "quero", "Cancelar", "x", "Q",
                      "ＳＴＯＰ", "\u{0301}", "é", "ﬁ", "İ", " ", "  ", "\t", "\n", "!", "¡", "?", ".", "*", "\"", "🛑", "7", "2"]
        var generator = SystemRandomNumberGenerator()
        var matched = 0
        for keywords in [defaults, own] {
            for _ in 0..<3_000 {
                let text = (0..<Int.random(in: 1...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
                let reference = OptOutKeywords.candidate(text).map(keywords.contains(normalized:)) ?? false
                #expect(keywords.matches(text) == reference, "\(text.debugDescription)")
                if reference { matched += 1 }
            }
        }
        #expect(matched > 50, "the random texts should include keywords: \(matched)")
    }

    @Test("bad lists are refused with a message that says what to fix", arguments: [
        ("", "at least one"), ("  ", "at least one"), ("STOP,,PARAR", "empty"), ("STOP,", "empty"),
        ("STOP,stop", "same word"), ("Parar,PARAR!", "same word"), ("sair,SAÍR", "same word"),
        ("!!!", "no letters"), (String(repeating: "x", count: 31), "30 characters"),
        ("STOP,PA\tRAR", "control characters"),
        ((1...21).map { "w\($0)" }.joined(separator: ","), "limit is 20"),
    ])
    func refused(list: String, mention: String) {
        #expect {
            try OptOutKeywords.parse(list)
        } throws: { error in
            guard let error = error as? CRMError else { return false }
            return error.kind == .invalidInput && error.message.contains(mention) && !error.message.contains("\n")
        }
    }

    @Test("twenty keywords of thirty characters are fine; stored as given, read back as they were")
    func limits() throws {
        let words = (1...20).map { String(repeating: "a", count: 28) + String(format: "%02d", $0) }
        let keywords = try OptOutKeywords(validating: words)
        #expect(keywords.words == words)
        let data = try JSONEncoder().encode(keywords)
        #expect(String(decoding: data, as: UTF8.self).hasPrefix("[\""))
        #expect(try JSONDecoder().decode(OptOutKeywords.self, from: data) == keywords)
    }
}
