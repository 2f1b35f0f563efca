import CRMCore
import CRMTestSupport
import Foundation
import Testing

@testable import CRMStore

/// Pages of campaigns (the HTTP API's `GET /api/campaigns`), on every database kind: newest first,
/// ties on the creation time by id, filters by unit and status, each campaign on one page only.
@Suite("Campaign list contract")
struct CampaignListContractTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    @Test("filters and cursor pages, with ties on created_at", arguments: TestDatabaseKind.stores)
    func pages(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            let outra = try await UnitService(store: store).create(name: "Outra")
            var made: [Campaign] = []
            for i in 0..<7 {
                let unit = i == 6 ? outra : loja
                // Two pairs share their creation time.
                let created = t0.addingTimeInterval(Double([0, 1, 1, 2, 3, 3, 4][i]))
                made.append(try await store.createCampaign(NewCampaign(
                    unitId: unit.id, name: "C\(i)", bodyTemplate: "Oi", pacing: CampaignPacing(rate: .unlimited), createdAt: created,
                    recipients: [NewCampaign.Recipient(phone: "551190000000\(i)", name: nil, variables: [:], body: "Oi")])).campaign)
            }
            _ = try await store.changeCampaignStatus(id: made[2].id, from: [.draft], to: .paused, at: t0)

            let expected = made.filter { $0.unitId == loja.id }
                .sorted { ($0.createdAt, $0.id.uuidString) > ($1.createdAt, $1.id.uuidString) }.map(\.id)
            var seen: [UUID] = []
            var filter = CampaignFilter(unitId: loja.id, limit: 2)
            while true {
                let page = try await store.campaigns(filter)
                seen += page.map(\.id)
                guard page.count == 2, let last = page.last else { break }
                filter.after = CampaignCursor(last)
            }
            #expect(seen == expected)
            #expect(try await store.campaigns(CampaignFilter(limit: 50)).count == 7)
            #expect(try await store.campaigns(CampaignFilter(unitId: outra.id)).map(\.id) == [made[6].id])
            #expect(try await store.campaigns(CampaignFilter(status: .paused)).map(\.id) == [made[2].id])
            #expect(try await store.campaigns(CampaignFilter(unitId: outra.id, status: .paused)).isEmpty)
        }
    }
}
