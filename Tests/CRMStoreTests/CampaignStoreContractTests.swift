import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

/// Campaigns and their recipients' way through a dispatch, on every database kind.
@Suite("Campaign store contract")
struct CampaignStoreContractTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func count(_ database: CRMDatabase, _ query: SQLQueryString) async throws -> Int {
        try await database.withUnsafeSQL { sql in try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    /// A unit with `phones` as a campaign's recipients, "Oi <phone>" each.
    func campaign(_ store: SQLStore, phones: [String], pacing: CampaignPacing = CampaignPacing(rate: .unlimited)) async throws
        -> (BusinessUnit, Campaign)
    {
        let unit = try await UnitService(store: store).create(name: "Loja \(UUID().uuidString.prefix(6))")
        let recipients = phones.map { NewCampaign.Recipient(phone: $0, name: nil, variables: ["x": "1"], body: "Oi \($0)") }
        let created = try await store.createCampaign(NewCampaign(
            unitId: unit.id, name: "Promo", bodyTemplate: "Oi {{phone}}", pacing: pacing, createdAt: t0, recipients: recipients))
        return (unit, created.campaign)
    }

    func phones(_ n: Int) -> [String] { (0..<n).map { "55119000000\(String(format: "%02d", $0))" } }

    @Test("create: contacts made or renamed, opted-out contacts skipped and counted, pacing and order kept",
          arguments: TestDatabaseKind.stores)
    func create(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let unit = try await UnitService(store: store).create(name: "Loja")
            try await database.withUnsafeSQL { sql in
                try await sql.raw("""
                    INSERT INTO contacts (id, unit_id, phone, name, opted_out, opted_out_at, created_at, updated_at)
                    VALUES (\(bind: UUID()), \(bind: unit.id), '5511911110000', 'Antigo', \(bind: true), \(bind: t0), \(bind: t0), \(bind: t0)),
                           (\(bind: UUID()), \(bind: unit.id), '5511911110001', 'Nome velho', \(bind: false), NULL, \(bind: t0), \(bind: t0))
                    """).run()
            }
            let pacing = CampaignPacing(rate: SendRate(count: 20, period: .seconds(60)), jitter: .seconds(3), batchSize: 100,
                                        batchPause: .seconds(300), window: try SendWindow(parsing: "09:00-18:00"))
            let recipients = ["5511911110000", "5511911110001", "5511911110002"].map {
                NewCampaign.Recipient(phone: $0, name: $0.hasSuffix("1") ? "Nome novo" : nil, variables: ["cidade": "São \"Paulo\""],
                                      body: "Olá \($0)")
            }
            let created = try await store.createCampaign(NewCampaign(
                unitId: unit.id, name: "Promo", bodyTemplate: "Olá {{phone}}", pacing: pacing, createdAt: t0.addingTimeInterval(10),
                recipients: recipients))
            #expect(created.recipients == 2 && created.optedOut == 1 && created.contactsCreated == 1)
            #expect(created.campaign.status == .draft && created.campaign.pacing == pacing)
            #expect(try await store.campaign(id: created.campaign.id) == created.campaign)
            #expect(try await count(database, "SELECT count(*) AS n FROM contacts WHERE name = 'Nome novo'") == 1)
            let funnel = try await store.campaignFunnel(id: created.campaign.id)
            #expect(funnel.recipients == 3 && funnel.pending == 2 && funnel.skipped == 1 && funnel.optedOutBefore == 1)
            let variables = try await database.withUnsafeSQL { sql in
                try await sql.raw("SELECT CAST(variables AS TEXT) AS v FROM campaign_recipients ORDER BY position LIMIT 1").first()?
                    .decode(column: "v", as: String.self)
            }
            let decoded = try JSONSerialization.jsonObject(with: Data(try #require(variables).utf8)) as? [String: String]
            #expect(decoded == ["cidade": "São \"Paulo\""])
            let audience = try await store.campaignAudience(unitId: unit.id, phones: nil)
            #expect(audience.count == 3 && audience.contains(AudienceContact(phone: "5511911110001", name: "Nome novo")))
            #expect(try await store.campaigns(unitId: unit.id, limit: 10).map(\.id) == [created.campaign.id])
        }
    }

    @Test("claims come in import order, disjoint between owners; an attempt makes one message; outcomes are recorded with it",
          arguments: TestDatabaseKind.stores)
    func lifecycle(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let (_, campaign) = try await campaign(store, phones: phones(4))
            #expect(try await store.changeCampaignStatus(id: campaign.id, from: CampaignStatus.dispatchable, to: .running, at: t0))
            let until = t0.addingTimeInterval(30)
            let first = try await store.claimRecipients(campaignId: campaign.id, limit: 2, owner: "a", until: until, now: t0)
            let second = try await store.claimRecipients(campaignId: campaign.id, limit: 5, owner: "b", until: until, now: t0)
            #expect(first.map(\.phone) == Array(phones(4).prefix(2)))
            #expect(second.map(\.phone) == Array(phones(4).suffix(2)))

            let started = try await store.startAttempts(first, provider: .evolution, owner: "a", at: t0)
            #expect(started.count == 2)
            // Another owner's recipient is not started by "a".
            #expect(try await store.startAttempts(second, provider: .evolution, owner: "a", at: t0).isEmpty)
            let message = try #require(started[first[0].id])
            #expect(message.clientMessageId == first[0].clientMessageId && message.campaignId == campaign.id && message.body == first[0].body)
            try await store.recordRecipientOutcomes([
                RecipientOutcome(recipientId: first[0].id, messageId: message.id, attempts: 1, result: .sent(externalId: "3EB0A"), at: t0),
                RecipientOutcome(recipientId: first[1].id, messageId: try #require(started[first[1].id]).id, attempts: 1,
                                 result: .retry(nextAttemptAt: t0.addingTimeInterval(5), error: "timeout"), at: t0),
            ])
            #expect(try await store.outboundMessage(id: message.id)?.state == .sent)
            #expect(try await store.outboundMessage(id: message.id)?.externalId == "3EB0A")
            // Not due yet: nothing to claim; due: the same recipient, with its attempt counted, and the same message.
            #expect(try await store.claimRecipients(campaignId: campaign.id, limit: 5, owner: "a", until: until, now: t0.addingTimeInterval(1)).isEmpty)
            let again = try await store.claimRecipients(campaignId: campaign.id, limit: 5, owner: "a", until: until.addingTimeInterval(10),
                                                        now: t0.addingTimeInterval(6))
            #expect(again.map(\.id) == [first[1].id] && again.first?.attempt == 1)
            let restarted = try await store.startAttempts(again, provider: .evolution, owner: "a", at: t0.addingTimeInterval(6))
            #expect(restarted[first[1].id]?.id == started[first[1].id]?.id, "one message per recipient")
            try await store.recordRecipientOutcomes([
                RecipientOutcome(recipientId: first[1].id, messageId: try #require(restarted[first[1].id]).id, attempts: 2,
                                 result: .failed(code: "400", error: "not on WhatsApp"), at: t0.addingTimeInterval(6)),
            ])
            #expect(try await store.outboundMessage(id: try #require(restarted[first[1].id]).id)?.state == .failed)
            #expect(try await count(database, "SELECT count(*) AS n FROM messages WHERE campaign_id IS NOT NULL") == 2)

            // "b" gives its claims back unstarted; the campaign completes once nothing is pending or claimed.
            #expect(try await store.completeCampaignIfDone(id: campaign.id, at: t0) == false)
            try await store.releaseRecipients(ids: second.map(\.id), owner: "b", at: t0)
            let funnel = try await store.campaignFunnel(id: campaign.id)
            #expect(funnel.sent == 1 && funnel.failed == 1 && funnel.pending == 2 && funnel.claimed == 0)
            // A page's funnels in one read: each as read alone; an unknown campaign absent.
            let (_, other) = try await self.campaign(store, phones: ["5511977700001", "5511977700002"])
            let funnels = try await store.campaignFunnels(ids: [campaign.id, other.id, UUID()])
            #expect(funnels.count == 2 && funnels[campaign.id] == funnel, "\(funnels)")
            #expect(funnels[other.id] == (try await store.campaignFunnel(id: other.id)) && funnels[other.id]?.pending == 2)
            // A recipient waiting for its retry when the campaign is cancelled: its queued message fails.
            let waiting = try await store.claimRecipients(campaignId: campaign.id, limit: 1, owner: "b", until: until, now: t0)
            let waitingMessage = try #require(try await store.startAttempts(waiting, provider: .evolution, owner: "b", at: t0)[waiting[0].id])
            try await store.recordRecipientOutcomes([
                RecipientOutcome(recipientId: waiting[0].id, messageId: waitingMessage.id, attempts: 1,
                                 result: .retry(nextAttemptAt: t0.addingTimeInterval(60), error: "timeout"), at: t0),
            ])
            #expect(try await store.cancelCampaign(id: campaign.id, at: t0))
            #expect(try await store.campaignFunnel(id: campaign.id).skipped == 2)
            #expect(try await store.outboundMessage(id: waitingMessage.id)?.state == .failed)
            #expect(try await store.cancelCampaign(id: campaign.id, at: t0) == false)
        }
    }

    @Test("claim and start in one transaction: import order, one message each, linked at the outcome, reused by a retry; expired: uncertain",
          arguments: TestDatabaseKind.stores)
    func claimAndStart(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let (_, campaign) = try await campaign(store, phones: phones(4))
            let until = t0.addingTimeInterval(30)
            let wave = try await store.claimAndStartAttempts(
                campaignId: campaign.id, limit: 3, owner: "a", until: until, now: t0, provider: .evolution)
            #expect(wave.recipients.map(\.phone) == Array(phones(4).prefix(3)))
            #expect(wave.recipients.allSatisfy { wave.messages[$0.id]?.clientMessageId == $0.clientMessageId })
            #expect(wave.recipients.allSatisfy { wave.messages[$0.id]?.body == $0.body && wave.messages[$0.id]?.state == .queued })
            #expect(Set(wave.messages.values.map(\.id)).count == 3)
            // Started: the attempt is committed, so a dispatcher that takes the expired claim finds it uncertain.
            let other = try await store.claimRecipients(campaignId: campaign.id, limit: 5, owner: "b", until: until, now: t0)
            #expect(other.map(\.phone) == [phones(4)[3]])
            try await store.releaseRecipients(ids: other.map(\.id), owner: "b", at: t0)

            let (first, second) = (wave.recipients[0], wave.recipients[1])
            try await store.recordRecipientOutcomes([
                RecipientOutcome(recipientId: first.id, messageId: wave.messages[first.id]!.id, attempts: 1, result: .sent(externalId: "3EB0A"),
                                 at: t0),
                RecipientOutcome(recipientId: second.id, messageId: wave.messages[second.id]!.id, attempts: 1,
                                 result: .retry(nextAttemptAt: t0.addingTimeInterval(5), error: "timeout"), at: t0),
            ])
            #expect(try await store.outboundMessage(id: wave.messages[first.id]!.id)?.externalId == "3EB0A")
            let linked = try await count(database, """
                SELECT count(*) AS n FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
                WHERE r.campaign_id = \(bind: campaign.id) AND m.client_message_id = \(bind: first.clientMessageId)
                """)
            #expect(linked == 1, "the sent recipient points at its message")
            let again = try await store.claimAndStartAttempts(
                campaignId: campaign.id, limit: 5, owner: "a", until: until.addingTimeInterval(10), now: t0.addingTimeInterval(6),
                provider: .evolution)
            #expect(again.recipients.map(\.id) == [second.id, other[0].id])
            #expect(again.recipients.first?.attempt == 1)
            #expect(again.messages[second.id]?.id == wave.messages[second.id]?.id, "one message per recipient")
            #expect(try await count(database, "SELECT count(*) AS n FROM messages WHERE campaign_id IS NOT NULL") == 4)

            // The third was never recorded: once its claim expires it is uncertain, not pending.
            _ = try await store.claimRecipients(campaignId: campaign.id, limit: 5, owner: "c", until: until.addingTimeInterval(100),
                                                now: until.addingTimeInterval(20))
            let funnel = try await store.campaignFunnel(id: campaign.id)
            #expect(funnel.sent == 1 && funnel.uncertain == 3 && funnel.pending == 0, "\(funnel)")
        }
    }

    @Test("an expired claim goes back pending when no attempt had started, uncertain when one had; retry --uncertain requeues it",
          arguments: TestDatabaseKind.stores)
    func recovery(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let (_, campaign) = try await campaign(store, phones: phones(3))
            _ = try await store.changeCampaignStatus(id: campaign.id, from: [.draft], to: .running, at: t0)
            let dead = try await store.claimRecipients(campaignId: campaign.id, limit: 3, owner: "dead", until: t0.addingTimeInterval(30), now: t0)
            _ = try await store.startAttempts([dead[0]], provider: .evolution, owner: "dead", at: t0)
            // A live dispatcher renews its claims; "dead" does not.
            try await store.renewRecipientClaims(ownerPrefix: "dead", until: t0.addingTimeInterval(40), now: t0.addingTimeInterval(10))
            #expect(try await store.claimRecipients(campaignId: campaign.id, limit: 3, owner: "new", until: t0.addingTimeInterval(100),
                                                    now: t0.addingTimeInterval(35)).isEmpty, "renewed: not expired yet")
            let taken = try await store.claimRecipients(campaignId: campaign.id, limit: 3, owner: "new", until: t0.addingTimeInterval(100),
                                                        now: t0.addingTimeInterval(41))
            #expect(taken.map(\.id) == [dead[1].id, dead[2].id])
            // The dead dispatcher wakes up: its claims are gone, it starts nothing.
            #expect(try await store.startAttempts([dead[1]], provider: .evolution, owner: "dead", at: t0.addingTimeInterval(42)).isEmpty)
            var funnel = try await store.campaignFunnel(id: campaign.id)
            #expect(funnel.uncertain == 1 && funnel.claimed == 2)
            // Its late outcome still counts: the provider did take it.
            try await store.releaseRecipients(ids: taken.map(\.id), owner: "new", at: t0.addingTimeInterval(42))
            #expect(try await store.retryUncertainRecipients(campaignId: campaign.id, at: t0.addingTimeInterval(43)) == 1)
            funnel = try await store.campaignFunnel(id: campaign.id)
            #expect(funnel.uncertain == 0 && funnel.pending == 3)
            let retried = try await store.claimRecipients(campaignId: campaign.id, limit: 1, owner: "new", until: t0.addingTimeInterval(100),
                                                          now: t0.addingTimeInterval(44))
            #expect(retried.first?.id == dead[0].id && retried.first?.attempt == 0)
        }
    }

    @Test("a dispatcher that claims again what its own lapsed claim held: only the new claim may start it",
          arguments: TestDatabaseKind.stores)
    func ownLapsedClaim(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let (_, campaign) = try await campaign(store, phones: phones(1))
            let first = try await store.claimRecipients(campaignId: campaign.id, limit: 1, owner: "d:1", until: t0.addingTimeInterval(15), now: t0)
            // Stalled past its lease (no renewal); the same dispatcher's next claim takes the recipient back.
            let second = try await store.claimRecipients(campaignId: campaign.id, limit: 1, owner: "d:2", until: t0.addingTimeInterval(40),
                                                         now: t0.addingTimeInterval(20))
            #expect(second.map(\.id) == first.map(\.id))
            #expect(try await store.startAttempts(first, provider: .evolution, owner: "d:1", at: t0.addingTimeInterval(21)).isEmpty)
            #expect(try await store.startAttempts(second, provider: .evolution, owner: "d:2", at: t0.addingTimeInterval(21)).count == 1)
            // Renewing by the dispatcher's name extends every one of its claims.
            try await store.renewRecipientClaims(ownerPrefix: "d", until: t0.addingTimeInterval(100), now: t0.addingTimeInterval(30))
            #expect(try await count(database, "SELECT count(*) AS n FROM campaign_recipients WHERE lease_owner = 'd:2' AND status = 'claimed'") == 1)
            #expect(try await store.claimRecipients(campaignId: campaign.id, limit: 1, owner: "e:1", until: t0.addingTimeInterval(200),
                                                    now: t0.addingTimeInterval(60)).isEmpty, "renewed until t0+100")
        }
    }

    @Test("a contact who opts out after the campaign was created is skipped at the claim", arguments: TestDatabaseKind.stores)
    func optedOutLater(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let (_, campaign) = try await campaign(store, phones: phones(2))
            try await database.withUnsafeSQL { sql in
                try await sql.raw("UPDATE contacts SET opted_out = \(bind: true), opted_out_at = \(bind: t0) WHERE phone = \(bind: phones(2)[0])").run()
            }
            let claimed = try await store.claimRecipients(campaignId: campaign.id, limit: 5, owner: "a", until: t0.addingTimeInterval(30), now: t0)
            #expect(claimed.map(\.phone) == [phones(2)[1]])
            let funnel = try await store.campaignFunnel(id: campaign.id)
            #expect(funnel.skipped == 1 && funnel.optedOutBefore == 1)
        }
    }

    @Test("the funnel counts what the webhooks brought back: delivered, read, replies after the send, opt-outs after it",
          arguments: TestDatabaseKind.stores)
    func funnel(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let (unit, campaign) = try await campaign(store, phones: phones(3))
            let claimed = try await store.claimRecipients(campaignId: campaign.id, limit: 3, owner: "a", until: t0.addingTimeInterval(30), now: t0)
            let started = try await store.startAttempts(claimed, provider: .evolution, owner: "a", at: t0)
            try await store.recordRecipientOutcomes(claimed.enumerated().map { index, recipient in
                RecipientOutcome(recipientId: recipient.id, messageId: started[recipient.id]!.id, attempts: 1,
                                 result: .sent(externalId: "3EB0\(index)"), at: t0)
            })
            for (index, status) in [MessageStatus.delivered, .read].enumerated() {
                _ = try await store.applyMessageStatus(MessageStatusUpdate(
                    unitId: unit.id, provider: .evolution, externalId: "3EB0\(index)", status: status, occurredAt: t0.addingTimeInterval(1)))
            }
            let reply = IncomingMessage(
                unitId: unit.id, provider: .evolution, externalId: "REPLY1", phone: phones(3)[1], lid: nil, senderName: nil, fromMe: false,
                kind: .text, body: "Quero!", sentAt: t0.addingTimeInterval(2), receivedAt: t0.addingTimeInterval(2))
            _ = try await store.storeIncomingMessage(reply)
            try await database.withUnsafeSQL { sql in
                try await sql.raw("""
                    UPDATE contacts SET opted_out = \(bind: true), opted_out_at = \(bind: t0.addingTimeInterval(3)) WHERE phone = \(bind: phones(3)[2])
                    """).run()
            }
            let funnel = try await store.campaignFunnel(id: campaign.id)
            #expect(funnel.sent == 3 && funnel.delivered == 2 && funnel.read == 1 && funnel.replied == 1 && funnel.optedOutAfter == 1)
        }
    }

    @Test("send slots: two reservations interleave at the rate, a batch pause after each batch, a fresh start after idling",
          arguments: TestDatabaseKind.stores)
    func slots(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let unit = try await UnitService(store: store).create(name: "Loja")
            let pacing = CampaignPacing(rate: SendRate(count: 10, period: .seconds(1)), batchSize: 3, batchPause: .seconds(5))
            let a = try await store.reserveSendSlots(unitId: unit.id, count: 2, pacing: pacing, now: t0)
            let b = try await store.reserveSendSlots(unitId: unit.id, count: 2, pacing: pacing, now: t0)
            let offsets = (a + b).map { ($0.timeIntervalSince(t0) * 1000).rounded() }
            #expect(offsets == [0, 100, 200, 5_300], "\(offsets)")
            let later = t0.addingTimeInterval(60)
            let fresh = try await store.reserveSendSlots(unitId: unit.id, count: 1, pacing: pacing, now: later)
            #expect(fresh == [later])
        }
    }

    @Test("eight dispatchers claiming at once on one database never get the same recipient")
    func concurrentClaims() async throws {
        for kind in TestDatabaseKind.stores {
            try await TestDatabases.with(kind) { database in
                let store = database.store
                let (_, campaign) = try await campaign(store, phones: phones(80))
                let claims = try await withThrowingTaskGroup(of: [UUID].self) { group in
                    for owner in 0..<8 {
                        group.addTask {
                            var mine: [UUID] = []
                            while true {
                                let batch = try await store.claimRecipients(
                                    campaignId: campaign.id, limit: 3, owner: "o\(owner)", until: t0.addingTimeInterval(30), now: t0)
                                if batch.isEmpty { return mine }
                                mine += batch.map(\.id)
                            }
                        }
                    }
                    var all: [UUID] = []
                    for try await mine in group { all += mine }
                    return all
                }
                #expect(claims.count == 80 && Set(claims).count == 80, "\(kind)")
            }
        }
    }
}
