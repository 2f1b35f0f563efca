import Foundation

/// The hours of the day a campaign may send, in the unit's time zone: `09:00-18:00`, or across
/// midnight, `20:00-08:00`. The start is inside the window, the end is not.
package struct SendWindow: Sendable, Equatable, CustomStringConvertible {
    /// Minutes since midnight.
    package let start: Int
    package let end: Int

    package init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Parses `HH:MM-HH:MM`.
    package init(parsing text: String) throws {
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count == 2, let start = Self.minutes(pieces[0]), let end = Self.minutes(pieces[1]) else {
            throw CRMError.invalidInput("'\(text.prefix(40))' is not a window: write HH:MM-HH:MM, for example 09:00-18:00.")
        }
        guard start != end else {
            throw CRMError.invalidInput("The window \(text) is empty: its start and end are the same time.")
        }
        self.init(start: start, end: end)
    }

    /// `HH:MM` as the schema stores each end.
    package var startText: String { Self.text(start) }
    package var endText: String { Self.text(end) }
    package var description: String { "\(startText)-\(endText)" }

    /// Whether `date` falls inside the window in `timeZone`.
    package func contains(_ date: Date, in timeZone: TimeZone) -> Bool {
        let minute = Self.minuteOfDay(date, in: timeZone)
        return start < end ? (start..<end).contains(minute) : (minute >= start || minute < end)
    }

    /// The next instant at or after `date` when the window is open (`date` itself when it is).
    package func nextOpening(after date: Date, in timeZone: TimeZone) -> Date {
        if contains(date, in: timeZone) { return date }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let day = calendar.startOfDay(for: date)
        // Today's opening, or tomorrow's when today's has passed. Computed through the calendar so
        // that a day of 23 or 25 hours (a daylight saving change) still opens at the wall-clock time.
        for offset in 0...2 {
            guard let candidateDay = calendar.date(byAdding: .day, value: offset, to: day),
                  let opening = calendar.date(bySettingHour: start / 60, minute: start % 60, second: 0, of: candidateDay)
            else { continue }
            if opening > date { return opening }
        }
        return date.addingTimeInterval(86_400)
    }

    static func minuteOfDay(_ date: Date, in timeZone: TimeZone) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    private static func minutes(_ text: Substring) -> Int? {
        let pieces = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count == 2, pieces[0].count == 2, pieces[1].count == 2,
              let hour = Int(pieces[0]), let minute = Int(pieces[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    private static func text(_ minutes: Int) -> String {
        let hour = minutes / 60, minute = minutes % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
