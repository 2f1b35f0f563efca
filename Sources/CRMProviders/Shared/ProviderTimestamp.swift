import Foundation

/// A provider's timestamp, read leniently: it is informative (the listener falls back to the
/// time of receipt), so an odd encoding yields `nil` instead of rejecting the whole body.
///
/// Accepts epoch seconds or milliseconds (Z-API mixes both) as a JSON number or a numeric
/// string (Meta), and protobuf.js `Long` objects `{"low","high","unsigned"}` (Evolution v1 and,
/// from its code, 2.3.4+).
struct ProviderTimestamp: Decodable, Sendable, Hashable {
    let date: Date?

    /// Values above this are milliseconds: 1e11 seconds is in the year 5138, 1e11 ms in 1973.
    private static let millisecondsThreshold = 1e11
    /// Anything later than this, even in milliseconds, is not a real timestamp (year 2286).
    private static let latestMilliseconds = 1e13

    private enum LongKeys: String, CodingKey {
        case low, high
    }

    init(from decoder: any Decoder) throws {
        self.init(epoch: Self.epochValue(from: decoder))
    }

    /// Epoch seconds or milliseconds, read by the caller.
    init(epoch: Double?) {
        date = epoch.flatMap(Self.date(fromEpoch:))
    }

    private static func epochValue(from decoder: any Decoder) -> Double? {
        if let container = try? decoder.singleValueContainer() {
            if let number = try? container.decode(Double.self) { return number }
            if let text = try? container.decode(String.self) { return Double(text) }
        }
        if let long = try? decoder.container(keyedBy: LongKeys.self),
           let low = try? long.decode(Int64.self, forKey: .low),
           let high = try? long.decode(Int64.self, forKey: .high) {
            return Double(high) * 4_294_967_296 + Double(UInt32(truncatingIfNeeded: low))
        }
        return nil
    }

    private static func date(fromEpoch value: Double) -> Date? {
        guard value.isFinite, value > 0, value < latestMilliseconds else { return nil }
        let seconds = value > millisecondsThreshold ? value / 1000 : value
        return Date(timeIntervalSince1970: seconds)
    }
}
