@testable import CRMCore
import Foundation
import Testing

@Suite("Campaign creation, pacing and slots")
struct CampaignCreationTests {
    let unit = UUID()
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func candidate(_ phone: String, name: String? = nil, _ variables: [String: String] = [:], line: Int) -> CampaignCreation.Candidate {
        CampaignCreation.Candidate(phone: phone, name: name, variables: variables, origin: "line \(line)")
    }

    @Test("each recipient's text is rendered; the name fills {{name}} and {{first_name}}; the same phone twice is one recipient")
    func renders() throws {
        let campaign = try CampaignCreation.prepare(
            unitId: unit, name: " Promo ", text: "Oi {{first_name|cliente}}, {{city|sua cidade}}!\n",
            candidates: [
                candidate("5511900000001", name: "Ana Souza", ["city": "Recife"], line: 2),
                candidate("5511900000002", line: 3),
                candidate("5511900000001", name: "Outra", line: 4),
            ],
            pacing: .defaults(for: .evolution), at: t0)
        #expect(campaign.name == "Promo" && campaign.bodyTemplate == "Oi {{first_name|cliente}}, {{city|sua cidade}}!")
        #expect(campaign.recipients.map(\.body) == ["Oi Ana, Recife!", "Oi cliente, sua cidade!"])
        #expect(campaign.recipients.map(\.phone) == ["5511900000001", "5511900000002"])
    }

    @Test("a variable a recipient lacks refuses the whole campaign, naming the first rows")
    func refusesUnrenderable() throws {
        let candidates = (2...9).map { candidate("55119000000\($0)", ["city": $0 % 2 == 0 ? "" : "Natal"], line: $0) }
        do {
            _ = try CampaignCreation.prepare(unitId: unit, name: "P", text: "{{city}} {{code}}", candidates: candidates,
                                             pacing: .defaults(for: .meta), at: t0)
            Issue.record("created")
        } catch let error as CRMError {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains("8 recipient(s)") && error.message.contains("line 2 has no {{city}}, {{code}}"))
            #expect(error.message.contains("and 3 more") && error.message.contains("Nothing was created"))
        }
    }

    @Test("no recipients, an empty or too long text, a bad name: refused", arguments: [
        ("", "x", 1), ("P", "  ", 1), ("P", String(repeating: "a", count: 4_097), 1), ("P", "oi", 0), ("P", "{{oi", 1),
    ])
    func refuses(name: String, text: String, recipients: Int) {
        let candidates = (0..<recipients).map { candidate("551190000000\($0)", line: $0 + 2) }
        #expect(throws: CRMError.self) {
            try CampaignCreation.prepare(unitId: unit, name: name, text: text, candidates: candidates, pacing: .defaults(for: .zapi), at: t0)
        }
    }

    @Test("safe defaults: slow with jitter and pauses on WhatsApp Web gateways, 80/s on Meta")
    func defaults() throws {
        let evolution = CampaignPacing.defaults(for: .evolution)
        #expect(evolution.rate == SendRate(count: 20, period: .seconds(60)) && evolution.jitter == .seconds(3))
        #expect(evolution.batchSize == 100 && evolution.batchPause == .seconds(300))
        #expect(CampaignPacing.defaults(for: .zapi) == evolution)
        let meta = CampaignPacing.defaults(for: .meta)
        #expect(meta.rate == SendRate(count: 80, period: .seconds(1)) && meta.jitter == .zero && meta.batchSize == nil)
        #expect(try SendRate(parsing: "Unlimited").isUnlimited && SendRate.unlimited.description == "unlimited")
    }

    @Test("slots: spaced by the interval, a pause after each batch, a fresh batch after a long idle")
    func slots() {
        let pacing = CampaignPacing(rate: SendRate(count: 2, period: .seconds(1)), batchSize: 2, batchPause: .seconds(10))
        var slots = SendSlots(next: t0, batchSent: 0)
        let first = slots.reserve(3, pacing: pacing, now: t0)
        #expect(first.map { $0.timeIntervalSince(t0) } == [0, 0.5, 11])
        #expect(slots.batchSent == 1 && slots.next == t0.addingTimeInterval(11.5))
        // Asked again before the next slot: it continues from there.
        #expect(slots.reserve(1, pacing: pacing, now: t0.addingTimeInterval(1)) == [t0.addingTimeInterval(11.5)])
        // Idle longer than a batch pause: from now, a new batch.
        let later = t0.addingTimeInterval(100)
        #expect(slots.reserve(2, pacing: pacing, now: later) == [later, later.addingTimeInterval(0.5)])
        #expect(slots.next == later.addingTimeInterval(11))
    }

    @Test("a dispatcher's waves group the slots that fall together; the jitter stays inside the slot")
    func waves() {
        let recipients = (0..<4).map {
            ClaimedRecipient(id: UUID(), campaignId: UUID(), unitId: unit, contactId: UUID(), phone: "55119000000\($0)", body: "x", attempt: 0)
        }
        let together = CampaignDispatcher.waves(recipients, slots: Array(repeating: t0, count: 4))
        #expect(together.count == 1 && together[0].recipients.count == 4)
        let apart = CampaignDispatcher.waves(recipients, slots: (0..<4).map { t0.addingTimeInterval(Double($0) * 0.05) })
        #expect(apart.map(\.recipients.count) == [1, 1, 1, 1])
        let pacing = CampaignPacing(rate: SendRate(count: 10, period: .seconds(1)), jitter: .seconds(3))
        for _ in 0..<100 { #expect((0...0.1).contains(CampaignDispatcher.jitter(pacing))) }
        #expect(CampaignDispatcher.ending(for: .running) == nil && CampaignDispatcher.ending(for: .paused) == .paused)
    }
}
