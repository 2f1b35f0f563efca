import Foundation

/// How fast a campaign may send for its unit: `count` messages per `period` (`20/s`, `30/min`,
/// `500/h`).
package struct SendRate: Sendable, Equatable, CustomStringConvertible {
    package let count: Int
    package let period: Duration

    package init(count: Int, period: Duration) {
        self.count = count
        self.period = period
    }

    /// No pacing at all: for benchmarks against the simulator, or a provider that paces itself.
    package static let unlimited = SendRate(count: 1_000_000, period: .seconds(1))

    package var isUnlimited: Bool { self == .unlimited }

    /// Parses `N/s`, `N/min` or `N/h` (also `N/sec`, `N/m`, `N/hour`), or `unlimited`.
    package init(parsing text: String) throws {
        if text.trimmingCharacters(in: .whitespaces).lowercased() == "unlimited" {
            self = .unlimited
            return
        }
        let pieces = text.trimmingCharacters(in: .whitespaces).lowercased().split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, let count = Int(pieces[0].trimmingCharacters(in: .whitespaces)), count > 0 else {
            throw CRMError.invalidInput("'\(text.prefix(40))' is not a rate: write it as N/s, N/min or N/h (for example 20/min).")
        }
        let period: Duration
        switch pieces[1].trimmingCharacters(in: .whitespaces) {
        case "s", "sec", "second": period = .seconds(1)
        case "m", "min", "minute": period = .seconds(60)
        case "h", "hour": period = .seconds(3_600)
        default:
            throw CRMError.invalidInput("'\(text.prefix(40))' has an unknown unit: use /s, /min or /h (for example 20/min).")
        }
        guard Double(count) / Double(period.components.seconds) <= 1_000 else {
            throw CRMError.invalidInput("'\(text.prefix(40))' is more than any provider takes: at most 1000/s.")
        }
        self.init(count: count, period: period)
    }

    /// The pause between two sends at this rate.
    package var interval: Duration { period / count }

    package var description: String {
        if isUnlimited { return "unlimited" }
        return switch period {
        case .seconds(1): "\(count)/s"
        case .seconds(60): "\(count)/min"
        case .seconds(3_600): "\(count)/h"
        default: "\(count) per \(period)"
        }
    }

    /// The safe default for a provider. Evolution and Z-API drive a WhatsApp Web session that
    /// WhatsApp bans for bulk sending: slow, with jitter. Meta's Cloud API documents 80 messages/s
    /// per business number.
    package static func defaultRate(for provider: ProviderKind) -> SendRate {
        switch provider {
        case .evolution, .zapi: SendRate(count: 20, period: .seconds(60))
        case .meta: SendRate(count: 80, period: .seconds(1))
        }
    }
}
