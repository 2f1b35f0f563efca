import CRMCore
import CRMStore
import Foundation
import Synchronization

/// The progress of a dispatch on stderr, read from the database when shown (so it counts what
/// every dispatcher of the campaign does): a bar redrawn every second in place on a terminal, a
/// plain line every 10 s otherwise.
final class DispatchProgress: Sendable {
    private let store: SQLStore
    private let campaignId: UUID
    private let pacing: CampaignPacing
    private let interactive: Bool
    private let lastEvent = Mutex<CampaignDispatcher.Event?>(nil)

    init(store: SQLStore, campaignId: UUID, pacing: CampaignPacing, json: Bool) {
        self.store = store
        self.campaignId = campaignId
        self.pacing = pacing
        interactive = Terminal.stderrIsTerminal
    }

    /// What the dispatcher waits for, shown on the next line.
    func note(_ event: CampaignDispatcher.Event) { lastEvent.withLock { $0 = event } }

    /// Runs `body` while showing the progress; the bar's line is finished when it returns.
    func showing<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                await self.draw()
                return nil
            }
            var result: T?
            for await value in group {
                if let value {
                    result = value
                    group.cancelAll()
                }
            }
            if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
            return result!
        }
    }

    private func draw() async {
        let started = Date()
        var firstDone: Int?
        var lastPlain = Date.distantPast
        while !Task.isCancelled {
            // Counted only when it is shown: the funnel reads every recipient of the campaign, and on
            // a single connection it holds up the dispatcher's own statements while it runs.
            let due = interactive || Date().timeIntervalSince(lastPlain) >= 10
            if due, let funnel = try? await store.campaignFunnel(id: campaignId) {
                let done = funnel.sent + funnel.failed
                if firstDone == nil { firstDone = done }
                let elapsed = Date().timeIntervalSince(started)
                let rate = elapsed > 1 ? Double(done - (firstDone ?? 0)) / elapsed : 0
                let line = Self.line(funnel, rate: rate, pacing: pacing, event: lastEvent.withLock { $0 })
                if interactive {
                    let width = max(40, Terminal.columns(of: STDERR_FILENO)) - 1
                    FileHandle.standardError.write(Data(("\r\u{1B}[K" + String(line.prefix(width))).utf8))
                } else if Date().timeIntervalSince(lastPlain) >= 10 {
                    lastPlain = Date()
                    FileHandle.standardError.write(Data(("crm: " + line + "\n").utf8))
                }
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// `[#####-----]  48% sent 480 · failed 2 · skipped 3 · left 515 · 19.6/s · ETA 0:26`
    static func line(_ funnel: CampaignFunnel, rate: Double, pacing: CampaignPacing, event: CampaignDispatcher.Event?) -> String {
        let finished = funnel.recipients - funnel.remaining
        let fraction = funnel.recipients == 0 ? 1 : Double(finished) / Double(funnel.recipients)
        let filled = Int((fraction * 20).rounded(.down))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled) + "]"
        var parts = [
            "\(bar) \(Int(fraction * 100))%", "sent \(funnel.sent)", "failed \(funnel.failed)", "skipped \(funnel.skipped)",
            "left \(funnel.remaining)", String(format: "%.1f/s", rate),
        ]
        if let seconds = eta(remaining: funnel.remaining, rate: rate, pacing: pacing) {
            parts.append(String(format: "ETA %d:%02d:%02d", seconds / 3_600, seconds / 60 % 60, seconds % 60))
        }
        switch event {
        case .outsideWindow(let opensAt)?: parts.append("outside the window, opens \(ISO8601.string(opensAt))")
        case .storeUnavailable(let reason)?: parts.append("database: \(reason)")
        case nil: break
        }
        return parts.joined(separator: " · ")
    }

    /// Seconds left: at the pace (its batch pauses included), or at the rate measured when sends
    /// go slower than the pace (a slow provider, retries); nil when nothing is left.
    static func eta(remaining: Int, rate: Double, pacing: CampaignPacing) -> Int? {
        guard remaining > 0 else { return nil }
        var paced = pacing.rate.isUnlimited ? 0 : Double(remaining) * pacing.rate.interval.seconds
        if let size = pacing.batchSize, size > 0 { paced += Double(remaining / size) * pacing.batchPause.seconds }
        let measured = rate > 0 ? Double(remaining) / rate : 0
        let seconds = max(paced, measured)
        return seconds > 0 && seconds < 10_000_000 ? Int(seconds.rounded(.up)) : nil
    }
}
