import CRMCore
import Testing

@Suite("WhatsApp JIDs")
struct JIDTests {
    @Test("Kinds, digits and suffixes", arguments: [
        ("5511999990001@s.whatsapp.net", JID.Kind.phone, "5511999990001", nil),
        ("5511999990001:12@s.whatsapp.net", .phone, "5511999990001", nil),
        ("5511999990001_1:3@s.whatsapp.net", .phone, "5511999990001", nil),
        ("5511999990001@c.us", .phone, "5511999990001", nil),
        ("5511999990001@hosted", .phone, "5511999990001", nil),
        ("128406231990285@lid", .lid, nil, "128406231990285"),
        ("128406231990285:7@lid", .lid, nil, "128406231990285"),
        ("128406231990285@hosted.lid", .lid, nil, "128406231990285"),
        ("120363041234567890@g.us", .group, nil, nil),
        ("status@broadcast", .broadcast, nil, nil),
        ("120363198765432109@newsletter", .newsletter, nil, nil),
        ("13135550002@bot", .other, nil, nil),
        ("maria@s.whatsapp.net", .phone, nil, nil),
        ("+5511999990001@s.whatsapp.net", .phone, nil, nil),
        ("5511999990001@S.WHATSAPP.NET", .phone, "5511999990001", nil),
    ] as [(String, JID.Kind, String?, String?)])
    func parsing(raw: String, kind: JID.Kind, phone: String?, lid: String?) throws {
        let jid = try #require(JID(raw))
        #expect(jid.kind == kind)
        #expect(jid.phoneDigits == phone)
        #expect(jid.lidDigits == lid)
    }

    @Test("Strings that are not JIDs", arguments: ["", "5511999990001", "@s.whatsapp.net", "5511999990001@", ":1@lid", "_2:1@lid"])
    func notJIDs(raw: String) {
        #expect(JID(raw) == nil)
    }

    @Test("Digits are checked, never reformatted", arguments: [
        ("5511999990001", "5511999990001"), ("551188887777", "551188887777"), ("", nil), ("+5511", nil),
        ("55 11", nil), ("٥٥١١", nil), ("5511-9999", nil),
    ] as [(String, String?)])
    func digits(text: String, expected: String?) {
        #expect(Digits.only(text) == expected)
    }
}
