import CRMCore
import Foundation
import Testing

/// The rates `crm stats` derives from the tallies: what each counts, and none without a denominator.
@Suite("Operating stats rates")
struct OperatingStatsTests {
    let period = StatsPeriod(since: Date(timeIntervalSince1970: 0), until: Date(timeIntervalSince1970: 3_600))

    func stats(_ results: [WebhookEventResult: Int], messages: MessageTally = MessageTally()) -> OperatingStats {
        OperatingStats(period: period, webhooks: WebhookEventTally(byResult: results), messages: messages)
    }

    @Test("success counts applied, ignored and duplicate against failed and invalid; pending and unknown instance stay out")
    func successRate() {
        let figures = stats([.applied: 6, .ignored: 1, .duplicate: 1, .failed: 1, .invalid: 1, .pending: 5, .unknownInstance: 5])
        #expect(figures.webhooksReceived == 20)
        #expect(figures.webhooksSucceeded == 8)
        #expect(figures.webhooksFailed == 2)
        #expect(figures.successRate == 0.8)
        #expect(figures.unknownInstanceRate == 0.25)
    }

    @Test("no data is no rate, not 0% or 100%")
    func emptyPeriod() {
        let figures = stats([:])
        #expect(figures.successRate == nil)
        #expect(figures.unknownInstanceRate == nil)
        #expect(figures.outboundRetryRate == nil)
        // Only pending bodies: received, but no verdict yet.
        let pending = stats([.pending: 3])
        #expect(pending.webhooksReceived == 3 && pending.successRate == nil && pending.unknownInstanceRate == 0)
    }

    @Test("the retry rate is retries per provider call; no calls, no rate")
    func retryRate() {
        let messages = MessageTally(
            inbound: [.received: 100], outbound: [.sent: 3, .failed: 1], outboundCalls: 8, outboundRetries: 4, outboundRetried: 2)
        #expect(stats([:], messages: messages).outboundRetryRate == 0.5)
        let firstTime = MessageTally(outbound: [.sent: 2], outboundCalls: 2)
        #expect(stats([:], messages: firstTime).outboundRetryRate == 0)
        // Outbound messages sent from the phone: crm made no call.
        let echoes = MessageTally(inbound: [.received: 4], outbound: [.sent: 2])
        #expect(stats([:], messages: echoes).outboundRetryRate == nil)
    }
}
