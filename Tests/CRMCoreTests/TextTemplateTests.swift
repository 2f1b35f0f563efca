import CRMCore
import Foundation
import Testing

@Suite("Campaign text template")
struct TextTemplateTests {
    @Test("variables, defaults, first_name from name, case and spaces in the braces")
    func render() throws {
        let template = try TextTemplate("Olá {{ First_Name }}, sua loja em {{city|sua cidade}} abre às 9h. {{name}}!")
        #expect(template.variables == ["first_name", "city", "name"])
        #expect(template.requiredVariables == ["first_name", "name"])
        #expect(try template.render(["name": "Maria  da Silva", "city": "Campinas"])
            == "Olá Maria, sua loja em Campinas abre às 9h. Maria  da Silva!")
        // A blank cell is missing: the default applies.
        #expect(try template.render(["name": "João", "city": "  "]) == "Olá João, sua loja em sua cidade abre às 9h. João!")
        // A first_name column of its own wins over the one taken from name.
        #expect(try template.render(["name": "Maria Silva", "first_name": "Mari"]).hasPrefix("Olá Mari,"))
        // The first name is the first word, whatever white space surrounds or separates it.
        let first = try TextTemplate("{{first_name|cliente}}")
        #expect(try first.render(["name": " \tJosé\u{A0}Souza "]) == "José")
        #expect(try first.render(["name": "Ana"]) == "Ana")
        #expect(try first.render(["name": " \n "]) == "cliente")
        // An empty default is a default.
        #expect(try TextTemplate("a{{x|}}b").render([:]) == "ab")
    }

    @Test("a recipient without a required variable: every missing name, once, in order")
    func missing() throws {
        let template = try TextTemplate("{{name}} {{code}} {{name}} {{city|x}}")
        #expect(throws: MissingVariables(names: ["name", "code"])) { try template.render(["city": "y"]) }
    }

    @Test("text without variables, and braces that are not variables", arguments: [
        ("Promoção de hoje", true), ("{{name}", false), ("{{}}", false), ("{{ nome completo }}", false),
        ("{{a-b}}", false), ("abre {{", false), ("só } e { sozinhos", true), ("{{ok}} depois {{", false),
    ])
    func syntax(text: String, valid: Bool) throws {
        if valid {
            #expect(try TextTemplate(text).render([:]) == text)
        } else {
            #expect(throws: CRMError.self) { try TextTemplate(text) }
        }
    }
}

@Suite("Campaign send rate")
struct SendRateTests {
    @Test("N/s, N/min, N/h and their pause between sends", arguments: [
        ("20/s", 20, 1, "20/s"), ("30/min", 30, 60, "30/min"), (" 500 / h ", 500, 3_600, "500/h"), ("1/minute", 1, 60, "1/min"),
    ])
    func parse(text: String, count: Int, seconds: Int, shown: String) throws {
        let rate = try SendRate(parsing: text)
        #expect(rate.count == count && rate.period == .seconds(seconds))
        #expect(rate.description == shown)
        #expect(rate.interval == .seconds(seconds) / count)
    }

    @Test("refused: no number, zero, unknown unit, faster than 1000/s", arguments: ["fast", "0/s", "-1/s", "20/day", "20", "1001/s", "20/s/x"])
    func refused(text: String) {
        #expect(throws: CRMError.self) { try SendRate(parsing: text) }
    }

    @Test("defaults: slow for WhatsApp Web sessions, Meta's documented 80/s")
    func defaults() {
        #expect(SendRate.defaultRate(for: .meta) == SendRate(count: 80, period: .seconds(1)))
        #expect(SendRate.defaultRate(for: .evolution).interval >= .seconds(1))
        #expect(SendRate.defaultRate(for: .zapi).interval >= .seconds(1))
    }
}

@Suite("Campaign send window")
struct SendWindowTests {
    let saoPaulo = TimeZone(identifier: "America/Sao_Paulo")!

    /// 2026-11-25 at hh:mm in São Paulo (UTC-3, no daylight saving since 2019).
    func at(_ hour: Int, _ minute: Int = 0, day: Int = 25) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = saoPaulo
        return calendar.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute))!
    }

    @Test("a daytime window: start inside, end outside")
    func daytime() throws {
        let window = try SendWindow(parsing: "09:00-18:00")
        #expect(window.description == "09:00-18:00")
        #expect(!window.contains(at(8, 59), in: saoPaulo))
        #expect(window.contains(at(9, 0), in: saoPaulo))
        #expect(window.contains(at(17, 59), in: saoPaulo))
        #expect(!window.contains(at(18, 0), in: saoPaulo))
        #expect(window.nextOpening(after: at(7, 30), in: saoPaulo) == at(9))
        #expect(window.nextOpening(after: at(12), in: saoPaulo) == at(12))
        #expect(window.nextOpening(after: at(19), in: saoPaulo) == at(9, day: 26))
    }

    @Test("a window across midnight")
    func overnight() throws {
        let window = try SendWindow(parsing: "22:00-06:30")
        #expect(window.contains(at(23), in: saoPaulo))
        #expect(window.contains(at(3), in: saoPaulo))
        #expect(!window.contains(at(6, 30), in: saoPaulo))
        #expect(!window.contains(at(12), in: saoPaulo))
        #expect(window.nextOpening(after: at(12), in: saoPaulo) == at(22))
    }

    @Test("the same instant is inside in one time zone and outside in another")
    func timeZones() throws {
        let window = try SendWindow(parsing: "09:00-18:00")
        let instant = at(10)  // 10:00 in São Paulo is 13:00 UTC and 05:00 in Los Angeles
        #expect(window.contains(instant, in: saoPaulo))
        #expect(window.contains(instant, in: TimeZone(identifier: "UTC")!))
        #expect(!window.contains(instant, in: TimeZone(identifier: "America/Los_Angeles")!))
    }

    @Test("refused", arguments: ["9:00-18:00", "09:00", "24:00-08:00", "09:60-10:00", "09:00-09:00", "a-b", "09:00-18:00-20:00"])
    func refused(text: String) {
        #expect(throws: CRMError.self) { try SendWindow(parsing: text) }
    }
}
