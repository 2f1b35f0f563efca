import Foundation

/// Durations as people type them on the command line: a whole number and a unit, "90s", "30m",
/// "2h", "7d" or "2w".
package enum DurationText {
    private static let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
    /// Longer than any history worth asking for; also keeps the arithmetic far from overflow.
    private static let longest: TimeInterval = 100 * 365 * 86_400

    /// The duration's length in seconds; `option` names the option in the error.
    package static func seconds(_ text: String, option: String) throws -> TimeInterval {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let scale = units[unit],
            let count = Int(trimmed.dropLast()), count > 0, Double(count) * scale <= longest
        else {
            throw CRMError.invalidInput(
                "\(option) '\(text.prefix(40))' is not a duration: use a whole number and a unit, such as 90s, 30m, 2h, 7d or 2w."
            )
        }
        return Double(count) * scale
    }
}
