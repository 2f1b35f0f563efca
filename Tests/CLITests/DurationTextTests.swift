import CRMCore
import Testing

@testable import crm

@Suite("Durations on the command line")
struct DurationTextTests {
    @Test(arguments: [
        ("90s", 90.0), ("30m", 1_800), ("2h", 7_200), ("7d", 604_800), ("2w", 1_209_600), (" 15M ", 900), ("1s", 1),
    ])
    func parses(text: String, seconds: Double) throws {
        #expect(try DurationText.seconds(text, option: "--since") == seconds)
    }

    @Test(arguments: ["", "5", "m", "5x", "0m", "-2h", "1.5h", "2 h", "h2", "99999999999999999999d", "36600000d", "١h"])
    func rejects(text: String) {
        #expect {
            try DurationText.seconds(text, option: "--since")
        } throws: { error in
            guard let error = error as? CRMError else { return false }
            return error.kind == .invalidInput && error.message.hasPrefix("--since '") && error.message.contains("90s, 30m, 2h")
        }
    }
}
