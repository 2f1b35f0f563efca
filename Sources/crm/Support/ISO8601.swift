import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// "2026-11-25T13:43:09Z": the form JSONEncoder's .iso8601 strategy writes, produced with gmtime_r.
/// Listing a thousand records writes thousands of dates, and the general formatter dominated that cost.
enum ISO8601 {
    static func string(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = ""
        text.reserveCapacity(20)
        func append(_ value: Int32, digits: Int) {
            let number = String(value)
            text += String(repeating: "0", count: max(0, digits - number.count)) + number
        }
        append(parts.tm_year + 1900, digits: 4)
        text += "-"
        append(parts.tm_mon + 1, digits: 2)
        text += "-"
        append(parts.tm_mday, digits: 2)
        text += "T"
        append(parts.tm_hour, digits: 2)
        text += ":"
        append(parts.tm_min, digits: 2)
        text += ":"
        append(parts.tm_sec, digits: 2)
        return text + "Z"
    }
}
