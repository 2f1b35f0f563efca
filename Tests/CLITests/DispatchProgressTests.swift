import CRMCore
import Foundation
import Testing

@testable import crm

@Suite("Dispatch progress line")
struct DispatchProgressTests {
    func funnel(recipients: Int, sent: Int, failed: Int = 0, skipped: Int = 0, pending: Int) -> CampaignFunnel {
        var funnel = CampaignFunnel()
        funnel.recipients = recipients
        funnel.sent = sent
        funnel.failed = failed
        funnel.skipped = skipped
        funnel.pending = pending
        return funnel
    }

    @Test("the bar, the counts, the rate and the time left at the pace")
    func line() {
        let pacing = CampaignPacing(rate: SendRate(count: 20, period: .seconds(1)))
        let text = DispatchProgress.line(funnel(recipients: 1_000, sent: 480, failed: 2, skipped: 3, pending: 515), rate: 19.6,
                                         pacing: pacing, event: nil)
        #expect(text == "[#########-----------] 48% · sent 480 · failed 2 · skipped 3 · left 515 · 19.6/s · ETA 0:00:27", "\(text)")
        let done = DispatchProgress.line(funnel(recipients: 10, sent: 10, pending: 0), rate: 5, pacing: pacing, event: nil)
        #expect(done.hasPrefix("[####################] 100%") && !done.contains("ETA"))
        let waiting = DispatchProgress.line(funnel(recipients: 10, sent: 0, pending: 10), rate: 0, pacing: pacing,
                                            event: .outsideWindow(opensAt: Date(timeIntervalSince1970: 1_790_000_000)))
        #expect(waiting.contains("outside the window, opens 2026-"))
    }

    @Test("the time left counts the batch pauses, and the measured rate when it is slower than the pace")
    func eta() {
        let paced = CampaignPacing(rate: SendRate(count: 20, period: .seconds(60)), batchSize: 100, batchPause: .seconds(300))
        // 250 left at 3 s each, plus two 5-minute pauses.
        #expect(DispatchProgress.eta(remaining: 250, rate: 0, pacing: paced) == 750 + 600)
        let fast = CampaignPacing(rate: SendRate(count: 80, period: .seconds(1)))
        #expect(DispatchProgress.eta(remaining: 800, rate: 40, pacing: fast) == 20)
        #expect(DispatchProgress.eta(remaining: 800, rate: 0, pacing: CampaignPacing(rate: .unlimited)) == nil)
        #expect(DispatchProgress.eta(remaining: 0, rate: 10, pacing: fast) == nil)
    }
}
