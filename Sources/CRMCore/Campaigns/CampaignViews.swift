import Foundation

/// The JSON shape of a campaign's pacing (`crm campaigns … --json` and the HTTP API write the same). Durations in milliseconds; `rate` as written (`20/min`).
package struct PacingView: Encodable {
    package var rate: String
    package var jitterMs: Int
    package var batchSize: Int?
    package var batchPauseMs: Int
    package var window: String?

    enum CodingKeys: String, CodingKey { case rate, jitterMs, batchSize, batchPauseMs, window }

    package init(_ pacing: CampaignPacing) {
        rate = pacing.rate.description
        jitterMs = Int(pacing.jitter.seconds * 1_000)
        batchSize = pacing.batchSize
        batchPauseMs = Int(pacing.batchPause.seconds * 1_000)
        window = pacing.window?.description
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rate, forKey: .rate)
        try container.encode(jitterMs, forKey: .jitterMs)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(batchPauseMs, forKey: .batchPauseMs)
        try container.encode(window, forKey: .window)
    }

    /// People's text: "20/min, jitter 3s, a 5m pause after every 100, 09:00-18:00".
    package static func text(_ pacing: CampaignPacing) -> String {
        var parts = [pacing.rate.description]
        if pacing.jitter > .zero { parts.append("jitter \(seconds(pacing.jitter))") }
        if let size = pacing.batchSize, pacing.batchPause > .zero { parts.append("a \(seconds(pacing.batchPause)) pause after every \(size)") }
        if let window = pacing.window { parts.append("only \(window)") }
        return parts.joined(separator: ", ")
    }

    private static func seconds(_ duration: Duration) -> String {
        let total = Int(duration.seconds.rounded())
        return total % 60 == 0 && total >= 60 ? "\(total / 60)m" : "\(total)s"
    }
}

/// The JSON shape of a campaign, with its funnel when asked for.
package struct CampaignView: Encodable {
    package var id: String
    package var unitId: String
    package var unit: String
    package var name: String
    package var text: String
    package var status: String
    package var pacing: PacingView
    package var startedAt: Date?
    package var completedAt: Date?
    package var cancelledAt: Date?
    package var createdAt: Date
    package var funnel: FunnelView?

    enum CodingKeys: String, CodingKey {
        case id, unitId, unit, name, text, status, pacing, startedAt, completedAt, cancelledAt, createdAt, funnel
    }

    package init(_ campaign: Campaign, unitSlug: String, funnel: CampaignFunnel? = nil) {
        id = campaign.id.uuidString.lowercased()
        unitId = campaign.unitId.uuidString.lowercased()
        unit = unitSlug
        name = campaign.name
        text = campaign.bodyTemplate
        status = campaign.status.rawValue
        pacing = PacingView(campaign.pacing)
        startedAt = campaign.startedAt
        completedAt = campaign.completedAt
        cancelledAt = campaign.cancelledAt
        createdAt = campaign.createdAt
        self.funnel = funnel.map(FunnelView.init)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(unitId, forKey: .unitId)
        try container.encode(unit, forKey: .unit)
        try container.encode(name, forKey: .name)
        try container.encode(text, forKey: .text)
        try container.encode(status, forKey: .status)
        try container.encode(pacing, forKey: .pacing)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(completedAt, forKey: .completedAt)
        try container.encode(cancelledAt, forKey: .cancelledAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(funnel, forKey: .funnel)
    }
}

/// The funnel: counts, and rates over the recipients sent (null before any was sent).
package struct FunnelView: Encodable {
    package var recipients: Int
    package var pending: Int
    package var inFlight: Int
    package var sent: Int
    package var failed: Int
    package var skipped: Int
    package var uncertain: Int
    package var delivered: Int
    package var read: Int
    package var replied: Int
    package var optedOutBefore: Int
    package var optedOutAfter: Int
    package var deliveredRate: Double?
    package var readRate: Double?
    package var replyRate: Double?

    enum CodingKeys: String, CodingKey {
        case recipients, pending, inFlight, sent, failed, skipped, uncertain, delivered, read, replied, optedOutBefore, optedOutAfter
        case deliveredRate, readRate, replyRate
    }

    package init(_ funnel: CampaignFunnel) {
        recipients = funnel.recipients
        pending = funnel.pending
        inFlight = funnel.claimed
        sent = funnel.sent
        failed = funnel.failed
        skipped = funnel.skipped
        uncertain = funnel.uncertain
        delivered = funnel.delivered
        read = funnel.read
        replied = funnel.replied
        optedOutBefore = funnel.optedOutBefore
        optedOutAfter = funnel.optedOutAfter
        func rate(_ count: Int) -> Double? { funnel.sent == 0 ? nil : (Double(count) / Double(funnel.sent) * 1_000).rounded() / 1_000 }
        deliveredRate = rate(funnel.delivered)
        readRate = rate(funnel.read)
        replyRate = rate(funnel.replied)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        for (key, value) in [
            (CodingKeys.recipients, recipients), (.pending, pending), (.inFlight, inFlight), (.sent, sent), (.failed, failed),
            (.skipped, skipped), (.uncertain, uncertain), (.delivered, delivered), (.read, read), (.replied, replied),
            (.optedOutBefore, optedOutBefore), (.optedOutAfter, optedOutAfter),
        ] {
            try container.encode(value, forKey: key)
        }
        try container.encode(deliveredRate, forKey: .deliveredRate)
        try container.encode(readRate, forKey: .readRate)
        try container.encode(replyRate, forKey: .replyRate)
    }
}
