import Testing

@testable import crm

@Suite("Terminal text width")
struct TextWidthTests {
    @Test(arguments: [
        ("loja-1", 6), ("São Paulo", 9), ("日本語", 6), ("🍕 Pizza", 8), ("🇧🇷", 2), ("e\u{301}", 1), ("", 0),
        ("tab\there", 7),
    ])
    func columns(text: String, width: Int) {
        #expect(TextWidth.columns(text) == width)
    }

    @Test func truncateAndPad() {
        #expect(TextWidth.truncate("abcdefgh", to: 5) == "abcd…")
        #expect(TextWidth.truncate("日本語日本語", to: 5) == "日本…")
        #expect(TextWidth.truncate("short", to: 5) == "short")
        #expect(TextWidth.pad("日本", to: 6) == "日本  ")
    }

    @Test func tableAlignsWideCharacters() {
        var table = Table("A", "B")
        table.add("日本", "x")
        table.add("ab", "y")
        let lines = table.render(bold: false).split(separator: "\n").map(String.init)
        #expect(lines == ["A     B", "日本  x", "ab    y"])
    }
}
